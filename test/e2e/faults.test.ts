// Faults, end to end and nock-free: the real app in child processes (as `npm start` runs it) on a PostgreSQL of its
// own, against the GitHub simulator. The app is killed (SIGKILL) in each phase of a sync and started again; its
// database is stopped while GitHub delivers pushes and started again. Afterwards nothing may be stuck, no check run
// open, and memory must equal git at the newest head.
import { generateKeyPairSync } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { createPrismaClient, type Db } from "../../src/db/create-prisma-client.js";
import {
  findFreePort,
  type RunningPostgres,
  startEmbeddedPostgres,
} from "../../src/db/start-embedded-postgres.js";
import type { SyncPhase } from "../../src/generated/prisma/enums.js";
import { type ChildApp, spawnApp } from "../helpers/spawn-app.js";
import { api, gitTree, NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

const SECRET = "faults-webhook-secret";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs1",
  format: "pem",
}) as string;
const TERMINAL = ["succeeded", "failed", "cancelled"] as const;

/** Holds a sync in one phase until released: slow GitHub answers, or a lock the phase needs. */
type Gate = { hold: () => Promise<void>; release: () => Promise<void> };

describe("crashes and a database outage, end to end", () => {
  const sim = useSimulator({ files: 150, seed: 23 });
  let root: string;
  let port: number;
  let postgres: RunningPostgres;
  let db: Db;
  let app: ChildApp | undefined;
  let head: string;
  let seed = 100;

  const env = (): Record<string, string> => ({
    DATABASE_URL: postgres.url,
    PORT: "0",
    HOST: "127.0.0.1",
    APP_ID: "1",
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    ...sim.address.ghe,
    SYNC_CONCURRENCY: "1",
    LOG_LEVEL: process.env.FAULTS_LOG ?? "fatal",
    APP_PROCESS_DEBUG: process.env.FAULTS_LOG ? "1" : "",
    NODE_ENV: "test",
  });

  async function startApp(): Promise<void> {
    app = await spawnApp(env());
    sim.sim.setWebhookTarget({ url: `${app.url}/api/github/webhooks`, secret: SECRET });
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "project-sync-faults-"));
    await chmod(root, 0o755); // as root, PostgreSQL runs as the OS user "postgres", who must reach its folder
    port = await findFreePort();
    postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), port });
    db = createPrismaClient(postgres.url, { poolSize: 3 });
    head = sim.repo.headSha;
    await startApp();
    await quiet();
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    await postgres?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  /** Every delivery processed, no sync queued or running, GitHub showing every sync's end. */
  async function quiet(timeoutMs = 40_000): Promise<void> {
    await waitFor(async () => {
      const inbox = await db.webhookDelivery.count({ where: { status: { in: ["pending", "processing"] } } });
      const busy = await db.projectSync.count({
        where: {
          OR: [
            { status: { in: ["queued", "running"] } },
            { checkRunState: { in: ["pending", "creating"] }, headSha: { not: null } },
            { checkRunState: "open", status: { in: [...TERMINAL] } },
          ],
        },
      });
      return (await db.projectSync.count()) > 0 && inbox + busy === 0;
    }, timeoutMs).catch(async (error: unknown) => {
      const syncs = await db.projectSync.findMany({
        where: {
          OR: [
            { status: { in: ["queued", "running"] } },
            { checkRunState: { in: ["pending", "creating", "open"] } },
          ],
        },
        select: {
          id: true,
          status: true,
          phase: true,
          checkRunState: true,
          checkRunRetryAt: true,
          workerKey: true,
        },
      });
      const inbox = await db.webhookDelivery.findMany({
        where: { status: { in: ["pending", "processing"] } },
        select: { id: true, status: true, attempts: true, runAfter: true, claimedBy: true, error: true },
      });
      throw new Error(`${String(error)}: ${JSON.stringify({ syncs, inbox })}\n${app?.stderr().slice(-3000)}`);
    });
  }

  async function expectMemoryAtHead(): Promise<void> {
    const repository = await db.repository.findUniqueOrThrow({
      where: { key: `${OWNER}/${NAME}`.toLowerCase() },
    });
    const entries = await db.memoryEntry.findMany({
      where: { repositoryId: repository.id, branch: "main", status: "active" },
      select: { path: true, mode: true, blobSha: true },
    });
    const expected: Record<string, string> = {};
    for (const entry of gitTree(sim, head))
      if (entry.type !== "tree") expected[entry.path] = `${entry.mode} ${entry.sha}`;
    expect(
      Object.fromEntries(entries.map((entry) => [entry.path, `${entry.mode} ${entry.blobSha}`])),
    ).toEqual(expected);
  }

  async function expectNoCheckRunOpen(): Promise<void> {
    const syncs = await db.projectSync.findMany({ where: { checkRunId: { not: null } } });
    for (const sync of syncs) {
      const run = await api(sim, `/repos/${OWNER}/${NAME}/check-runs/${sync.checkRunId}`);
      expect({ sync: sync.id, status: (run.json as { status: string }).status }).toEqual({
        sync: sync.id,
        status: "completed",
      });
    }
  }

  async function push(): Promise<{ id: string; status: number }> {
    head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: head,
      changes: { modify: 4, add: 2 },
      seed: seed++,
    });
    return sim.sim.push(OWNER, NAME, "main", head, { sender: "alice" });
  }

  /** GitHub answers nothing on this route until released (the simulator holds the requests). */
  const routeGate = (route: string): Gate => {
    let held: { release: () => void } | undefined;
    return {
      hold: async () => {
        held = sim.sim.hold(route);
      },
      release: async () => held?.release(),
    };
  };
  /** A lock held by a connection of the test: the phase blocks on it until it is released. */
  const lockGate = (statements: () => Promise<string[]>): Gate => {
    let client: pg.Client | undefined;
    return {
      hold: async () => {
        client = new pg.Client({ connectionString: postgres.url });
        client.on("error", () => undefined);
        await client.connect();
        await client.query("BEGIN");
        for (const statement of await statements()) await client.query(statement);
      },
      release: async () => {
        const held = client;
        client = undefined;
        await held?.query("COMMIT").catch(() => undefined);
        await held?.end().catch(() => undefined);
      },
    };
  };
  const finalizeLock = async () => {
    const repository = await db.repository.findUniqueOrThrow({
      where: { key: `${OWNER}/${NAME}`.toLowerCase() },
    });
    return [`SELECT pg_advisory_xact_lock(hashtext('${repository.id}:main'))`];
  };
  const gates: Record<SyncPhase, Gate> = {
    resolve: routeGate("GET /repos/{owner}/{repo}/git/trees/{sha}"),
    // the diff asks which blobs the repository already holds (resolve never reads that table)
    diff: lockGate(async () => ['LOCK TABLE "RepositoryFile" IN ACCESS EXCLUSIVE MODE']),
    fetch: routeGate("POST /graphql"),
    finalize: lockGate(finalizeLock),
  };

  it.each(["resolve", "diff", "fetch", "finalize"] as const)(
    "SIGKILL during %s: after a restart the sync runs again, its check run completes, memory is exact",
    async (phase) => {
      const gate = gates[phase];
      await gate.hold();
      let sync: { id: string; checkRunId: bigint | null };
      try {
        sync = await killDuring(phase);
      } finally {
        await gate.release();
      }
      await startApp();
      await quiet();

      const killed = await db.projectSync.findUniqueOrThrow({ where: { id: sync.id } });
      expect(killed).toMatchObject({ status: "failed", errorCode: "INTERNAL" });
      expect(killed.error).toContain("stopped (its database session ended)");
      const rerun = await db.projectSync.findFirstOrThrow({ where: { retryOfSyncId: sync.id } });
      expect(rerun).toMatchObject({
        status: "succeeded",
        headSha: head,
        attempt: 2,
        checkRunState: "completed",
      });
      if (sync.checkRunId !== null) expect(rerun.checkRunId).toBe(sync.checkRunId);
      await expectMemoryAtHead();
      await expectNoCheckRunOpen();
    },
    60_000,
  );

  /** Pushes, waits until the push's sync is in `phase` with its check run created, and kills the app. */
  async function killDuring(phase: SyncPhase): Promise<{ id: string; checkRunId: bigint | null }> {
    const delivery = await push();
    expect(delivery.status).toBe(202);
    const sync = await waitForRow(() =>
      db.projectSync.findFirst({
        where: { deliveryId: delivery.id, status: "running", phase, checkRunState: "open" },
      }),
    ).catch(async (error: unknown) => {
      const rows = await db.projectSync.findMany({
        where: { deliveryId: delivery.id },
        select: { status: true, phase: true, checkRunState: true },
      });
      throw new Error(`${String(error)}: ${JSON.stringify(rows)}\n${app?.stderr().slice(-3000)}`);
    });
    await app?.kill();
    return sync;
  }

  it("SIGKILL right after deliveries were acknowledged: a restarted app processes every one of them", async () => {
    sim.sim.setLatency(300); // the syncs are slow, so most deliveries are still in the inbox or queue when killed
    const deliveries = [await push(), await push(), await push()];
    expect(deliveries.map((delivery) => delivery.status)).toEqual([202, 202, 202]);

    await app?.kill();
    sim.sim.setLatency(0);
    await startApp();
    await quiet();

    const stored = await db.webhookDelivery.findMany({ where: { id: { in: deliveries.map((d) => d.id) } } });
    expect(stored.map((delivery) => delivery.status)).toEqual(["processed", "processed", "processed"]);
    expect(await db.projectSync.count({ where: { deliveryId: { in: deliveries.map((d) => d.id) } } })).toBe(
      3,
    );
    await expectMemoryAtHead();
    await expectNoCheckRunOpen();
  }, 60_000);

  it("PostgreSQL down while GitHub delivers: 503 and not ready meanwhile, every failed delivery redelivered once it is back", async () => {
    await postgres.stop();
    const during = [await push(), await push()];
    const ready = await fetch(`${app?.url}/readyz`);

    postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), port });
    await waitFor(async () => {
      const inbox = await db.webhookDelivery.count({ where: { id: { in: during.map((d) => d.id) } } });
      return inbox === during.length;
    }, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${app?.stderr().slice(-3000)}`);
    });
    await quiet();

    expect(during.map((delivery) => delivery.status)).toEqual([503, 503]);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toBe("unreachable");
    const attempts = sim.sim.deliveries.filter((delivery) => during.some((d) => d.id === delivery.guid));
    expect(attempts.map((attempt) => [attempt.guid, attempt.status_code, attempt.redelivery])).toEqual([
      [during[0]?.id, 503, false],
      [during[1]?.id, 503, false],
      [during[0]?.id, 202, true],
      [during[1]?.id, 202, true],
    ]);
    const syncs = await db.projectSync.findMany({ where: { deliveryId: { in: during.map((d) => d.id) } } });
    expect(syncs).toHaveLength(2);
    await expectMemoryAtHead();
    await expectNoCheckRunOpen();
    expect((await fetch(`${app?.url}/readyz`)).status).toBe(200);
  }, 90_000);
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // the database may be restarting
    }
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForRow<T>(read: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  let found: T | null = null;
  await waitFor(async () => {
    found = await read();
    return found !== null;
  }, timeoutMs);
  return found as unknown as T;
}
