// Live progress across processes: the real app runs syncs in a child process (SYNC_CONCURRENCY=1) against the GitHub
// simulator, a second real app in this process is web-only (SYNC_CONCURRENCY=0), both on one database; an SSE client
// of the web-only app follows a sync the other process runs. Nothing here imports nock: it would break real sockets.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { type RunningApp, startApp } from "../../src/app/start-app.js";
import { loadEnv } from "../../src/config/env.js";
import { silentLogger } from "../../src/logger.js";
import type { SyncEvent } from "../../src/sync/sync-event.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import { type ChildApp, spawnApp } from "../helpers/spawn-app.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";
import { connectSse, type SseMessage } from "./sse-client.js";

const SECRET = "two-processes-webhook-secret";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs1",
  format: "pem",
}) as string;

const data = (message: SseMessage | undefined) => (message?.data ?? {}) as Partial<SyncEvent>;
const ids = (messages: SseMessage[]) => messages.flatMap((message) => (message.id ? [message.id] : []));

describe("live progress over SSE across two app processes on one database", () => {
  const sim = useSimulator({ files: 150, seed: 17 });
  let database: TestDatabase;
  let worker: ChildApp | undefined;
  let web: RunningApp | undefined;
  let head: string;

  const appEnv = (concurrency: string): Record<string, string> => ({
    DATABASE_URL: database.url,
    PORT: "0",
    HOST: "127.0.0.1",
    APP_ID: "1",
    PRIVATE_KEY,
    WEBHOOK_SECRET: SECRET,
    ...sim.address.ghe,
    SYNC_CONCURRENCY: concurrency,
    LOG_LEVEL: "fatal",
    NODE_ENV: "test",
  });

  async function waitUntilQuiet(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [all, busy] = await Promise.all([
        database.db.projectSync.count(),
        database.db.projectSync.count({ where: { status: { in: ["queued", "running"] } } }),
      ]);
      if (all > 0 && busy === 0) return;
      if (Date.now() > deadline) throw new Error("the worker process did not finish its first sync");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    head = sim.repo.headSha;
    worker = await spawnApp(appEnv("1"));
    sim.sim.setWebhookTarget({ url: `${worker.url}/api/github/webhooks`, secret: SECRET });
    // the worker's start-up reconcile finds the installation and syncs the default branch once
    await waitUntilQuiet();
    // started after that first sync, its own reconcile finds the repository synced and queues nothing
    const branchListings = () => sim.sim.stats().requests["GET /repos/{owner}/{repo}/branches"] ?? 0;
    const listedBefore = branchListings();
    web = await startApp({ env: loadEnv(appEnv("0")), log: silentLogger });
    // its start-up reconcile must be over before the test pushes: one that lists the branch after the push would queue
    // a catch-up sync of its own, which then waits on the test's finalize lock ahead of the push's sync
    const deadline = Date.now() + 30_000;
    while (branchListings() === listedBefore && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await waitUntilQuiet();
  }, 90_000);
  afterAll(async () => {
    await web?.stop();
    const code = await worker?.stop();
    await database?.drop();
    expect(code).toBe(0);
  }, 30_000);

  it("shows a client of the web-only process every phase of a sync the other process runs, and the end; a reconnect with Last-Event-ID misses nothing", async () => {
    const repository = await database.db.repository.findUniqueOrThrow({
      where: { key: `${OWNER}/${NAME}`.toLowerCase() },
    });
    // Finalize takes this lock: holding it keeps the sync from ending while the clients connect and drop, so they
    // follow it live whatever the machine's speed.
    const gate = new pg.Client({ connectionString: database.url });
    await gate.connect();
    const lockKey = `${repository.id}:main`;
    await gate.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
    sim.sim.setLatency(20);
    head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: head,
      changes: { modify: 5, add: 3, remove: 1 },
      seed: 31,
    });

    const delivery = await sim.sim.push(OWNER, NAME, "main", head, { sender: "alice" });
    // the delivery is stored and answered first; the inbox then records its sync
    const sync = await waitForRow(() =>
      database.db.projectSync.findUnique({ where: { deliveryId: delivery.id } }),
    );
    const streamUrl = `${web?.url}/api/v1/events/project-sync/${sync.id}`;
    const watcher = await connectSse(streamUrl);
    const dropper = await connectSse(streamUrl);
    const beforeDrop = await dropper.until(
      (message) => message.event === "phase" && data(message).phase === "diff",
    );
    dropper.close();
    const resumed = await connectSse(streamUrl, { lastEventId: beforeDrop.at(-1)?.id });
    const watchedBeforeFinalize = await watcher.until(
      (message) => message.event === "phase" && data(message).phase === "finalize",
    );
    await gate.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]);
    await gate.end();
    const watched = [...watchedBeforeFinalize, ...(await watcher.rest())];
    const afterDrop = await resumed.rest();

    expect(delivery.status).toBe(202);
    const stored = await database.db.projectSyncEvent.findMany({
      where: { syncId: sync.id },
      orderBy: { id: "asc" },
    });
    expect(stored.length).toBeGreaterThan(4);
    const storedIds = stored.map((event) => event.id.toString());
    const snapshot = watched[0]?.data as SyncView;
    expect([watched[0]?.event, snapshot.id, snapshot.headSha]).toEqual(["sync", sync.id, head]);
    expect(["queued", "running"]).toContain(snapshot.status);
    expect(ids(watched)).toEqual(storedIds);
    expect(
      watched.filter((message) => message.event === "phase").map((message) => data(message).phase),
    ).toEqual(["resolve", "diff", "fetch", "finalize"]);
    expect(watched.at(-1)).toMatchObject({
      event: "status",
      data: { status: "succeeded", counts: { added: 3, modified: 5, removed: 1 } },
    });
    expect([...ids(beforeDrop), ...ids(afterDrop)]).toEqual(storedIds);
    expect(afterDrop.at(-1)).toEqual(watched.at(-1));
    const row = await database.db.projectSync.findUniqueOrThrow({ where: { id: sync.id } });
    expect(row).toMatchObject({ status: "succeeded", headSha: head });
  });

  it("gives a client that connects to the web-only process after the end the final state at once", async () => {
    const sync = await database.db.projectSync.findFirstOrThrow({
      where: { status: "succeeded" },
      orderBy: { createdAt: "desc" },
    });

    const client = await connectSse(`${web?.url}/api/v1/events/project-sync/${sync.id}`);
    const messages = await client.rest();

    expect(messages[0]).toMatchObject({ event: "sync", data: { id: sync.id, status: "succeeded" } });
    expect(messages.at(-1)).toMatchObject({ event: "status", data: { status: "succeeded" } });
  });
});

async function waitForRow<T>(read: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await read();
    if (row) return row;
    if (Date.now() > deadline) throw new Error("the row did not appear in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
