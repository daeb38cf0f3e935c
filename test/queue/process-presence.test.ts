import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createProcessPresence } from "../../src/db/create-process-presence.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { silentLogger } from "../../src/logger.js";
import { sweepSyncs } from "../../src/queue/sweep-syncs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("a worker's presence lock and the sweep", () => {
  let database: TestDatabase;
  let repository: Repository;
  const now = new Date("2026-12-05T12:00:00.000Z");

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.repository.deleteMany();
    // (no FakeGitHubRepo here: importing it loads nock, which would patch node:http for later files of this worker)
    repository = await database.db.repository.create({
      data: { key: "octo-org/presence", owner: "octo-org", name: "presence", defaultBranch: "main" },
    });
  });

  const running = (workerKey: number, branch = "main") =>
    database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch,
        trigger: "push",
        headSha: "1".repeat(40),
        status: "running",
        startedAt: now,
        heartbeatAt: now, // a fresh heartbeat: only the lock can tell the process is gone
        workerKey,
        checkRunState: "open",
        checkRunId: 7n,
      },
    });
  const sweep = () => sweepSyncs({ db: database.db, now: () => now, log: silentLogger });

  it("leaves the syncs of a live process alone, and runs again at once those of a process that is gone", async () => {
    const alive = createProcessPresence({ databaseUrl: database.url, log: silentLogger });
    const dead = createProcessPresence({ databaseUrl: database.url, log: silentLogger });
    await alive.start();
    await dead.start();
    const kept = await running(alive.key, "main");
    const orphan = await running(dead.key, "dev");

    expect(await sweep()).toEqual([]);
    await dead.stop(); // its session ends, as when the process is killed
    const touched = await sweep();
    await alive.stop();

    const retry = await database.db.projectSync.findFirstOrThrow({ where: { retryOfSyncId: orphan.id } });
    expect(touched).toEqual([orphan.id, retry.id]);
    expect(await database.db.projectSync.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({
      status: "failed",
      errorCode: "INTERNAL",
      error: expect.stringContaining("stopped (its database session ended)"),
      checkRunState: null,
    });
    // the check run moves to the re-run, which completes it
    expect(retry).toMatchObject({ status: "queued", attempt: 2, checkRunId: 7n, checkRunState: "open" });
    expect((await database.db.projectSync.findUniqueOrThrow({ where: { id: kept.id } })).status).toBe(
      "running",
    );
  });

  it("recovers an orphan once even when two processes sweep at the same moment", async () => {
    const dead = createProcessPresence({ databaseUrl: database.url, log: silentLogger });
    await dead.start();
    const orphan = await running(dead.key);
    await dead.stop();

    const [first, second] = await Promise.all([sweep(), sweep()]);

    expect([...first, ...second].filter((id) => id === orphan.id)).toHaveLength(1);
    expect(await database.db.projectSync.count({ where: { retryOfSyncId: orphan.id } })).toBe(1);
  });

  it("holds its lock again after its connection was cut (e.g. a database restart)", async () => {
    const presence = createProcessPresence({
      databaseUrl: database.url,
      log: silentLogger,
      reconnect: { minMs: 20, maxMs: 50 },
    });
    await presence.start();
    await database.db.$executeRaw`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'project-sync-presence'`;
    await waitFor(async () => {
      const [row] = await database.db.$queryRaw<{ held: bigint }[]>`
        SELECT count(*) AS held FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND a.application_name = 'project-sync-presence'`;
      return Number(row?.held) === 1;
    });
    const sync = await running(presence.key);

    expect(await sweep()).toEqual([]);
    await presence.stop();
    expect((await database.db.projectSync.findUniqueOrThrow({ where: { id: sync.id } })).status).toBe(
      "running",
    );
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
