// The hub and the database triggers that feed it: real PostgreSQL, real LISTEN/NOTIFY.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import pg from "pg";
import {
  createSyncEventHub,
  SYNC_EVENT_HUB_APPLICATION_NAME,
  type SyncEventHub,
} from "../../src/events/sync-event-hub.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { silentLogger } from "../../src/logger.js";
import { recordSyncEvent } from "../../src/sync/record-sync-event.js";
import { ZERO_COUNTS } from "../../src/sync/sync-event.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

/** Counts the calls of a listener; `next()` resolves at the next call after it is asked. */
function recorder() {
  let calls = 0;
  let waiters: (() => void)[] = [];
  return {
    listener: () => {
      calls += 1;
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    },
    get calls() {
      return calls;
    },
    next: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
}

describe("createSyncEventHub", () => {
  let database: TestDatabase;
  let hub: SyncEventHub;
  let repository: Repository;

  beforeAll(async () => {
    database = await createTestDatabase();
    hub = createSyncEventHub({
      databaseUrl: database.url,
      log: silentLogger,
      reconnect: { minMs: 10, maxMs: 100 },
    });
    await hub.start();
  });
  afterAll(async () => {
    await hub?.stop();
    await database?.drop();
  });
  beforeEach(async () => {
    await database.db.repository.deleteMany();
    repository = await database.db.repository.create({
      data: { githubId: 5n, key: "octo/hub", owner: "octo", name: "hub", defaultBranch: "main" },
    });
  });

  /**
   * A notification of our own through the hub: notifications arrive in commit order on one connection, so once it is
   * heard every notification committed before it has been delivered too.
   */
  async function settle(): Promise<void> {
    const marker = randomUUID();
    const heard = recorder();
    const unsubscribe = hub.subscribe(marker, heard.listener);
    const next = heard.next();
    await database.db.$executeRaw`SELECT pg_notify('project_sync', ${marker})`;
    await next;
    unsubscribe();
  }

  /** A sync whose own insert notification has been delivered already (to nobody). */
  async function createSync(data: { status?: "queued" | "running" | "cancelled" } = {}) {
    const sync = await database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "main", trigger: "push", status: data.status ?? "queued" },
    });
    await settle();
    return sync;
  }

  it("hears a stored event, a status change, a phase change and a sync created already ended — not heartbeats", async () => {
    const sync = await createSync();
    const heard = recorder();
    const unsubscribe = hub.subscribe(sync.id, heard.listener);

    let next = heard.next();
    await database.db.projectSync.update({ where: { id: sync.id }, data: { status: "running" } });
    await next;
    next = heard.next();
    // a heartbeat alone must stay quiet; the phase change after it is heard, and notifications arrive in commit order
    await database.db.projectSync.update({ where: { id: sync.id }, data: { heartbeatAt: new Date() } });
    await database.db.projectSync.update({ where: { id: sync.id }, data: { phase: "diff" } });
    await next;
    await settle();
    expect(heard.calls).toBe(2);
    next = heard.next();
    await recordSyncEvent(database.db, {
      type: "progress",
      syncId: sync.id,
      status: "running",
      phase: "diff",
      counts: ZERO_COUNTS,
      progress: { done: 1, total: 2 },
      error: null,
      at: new Date().toISOString(),
    });
    await next;
    await settle();
    unsubscribe();

    expect(heard.calls).toBe(3);
  });

  it("hears a sync inserted already cancelled (a stale delivery)", async () => {
    // the id is not known before the insert: listen to every new sync through a plain LISTEN client to learn it
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("LISTEN project_sync");
    const payload = new Promise<string>((resolve) =>
      client.once("notification", (message) => resolve(message.payload ?? "")),
    );

    const sync = await createSync({ status: "cancelled" });

    expect(await payload).toBe(sync.id);
    await client.end();
  });

  it("calls only the subscribers of the sync that has news, each subscription once, until unsubscribed", async () => {
    const [one, two] = [await createSync(), await createSync()];
    const first = recorder();
    const second = recorder();
    const other = recorder();
    const offFirst = hub.subscribe(one.id, first.listener);
    const offSecond = hub.subscribe(one.id, second.listener);
    const offOther = hub.subscribe(two.id, other.listener);

    let next = second.next();
    await database.db.projectSync.update({ where: { id: one.id }, data: { status: "running" } });
    await next;
    offFirst();
    next = other.next();
    await database.db.projectSync.update({ where: { id: one.id }, data: { phase: "resolve" } });
    await database.db.projectSync.update({ where: { id: two.id }, data: { status: "cancelled" } });
    await next;
    await settle();
    offSecond();
    offOther();

    expect([first.calls, second.calls, other.calls]).toEqual([1, 2, 1]);
  });

  it("reconnects when its connection is killed, then pokes every subscriber and hears new notifications", async () => {
    const sync = await createSync();
    const heard = recorder();
    const unsubscribe = hub.subscribe(sync.id, heard.listener);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();

    const poked = heard.next();
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
      [SYNC_EVENT_HUB_APPLICATION_NAME],
    );
    await poked;
    const after = heard.next();
    await database.db.projectSync.update({ where: { id: sync.id }, data: { status: "running" } });
    await after;
    await settle();
    await admin.end();
    unsubscribe();

    expect(killed.rowCount).toBe(1);
    expect(heard.calls).toBe(2);
  });

  it("tells its stop listeners when it stops, and refuses to start without a database", async () => {
    const own = createSyncEventHub({ databaseUrl: database.url, log: silentLogger });
    await own.start();
    const stopped = recorder();
    own.onStop?.(stopped.listener);
    const unreachable = createSyncEventHub({
      databaseUrl: "postgresql://nobody:secret@127.0.0.1:1/none",
      log: silentLogger,
    });

    await own.stop();

    expect(stopped.calls).toBe(1);
    await expect(unreachable.start()).rejects.toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    await expect(unreachable.start()).rejects.not.toThrow(/secret/);
  });
});
