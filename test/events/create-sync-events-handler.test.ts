// The SSE handler on a bare Express app listening on a free port, read by streaming fetch clients; the database and
// its NOTIFY triggers are real. No nock here: it would break the real sockets these tests open.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { Router } from "express";
import { createSyncEventsHandler } from "../../src/events/create-sync-events-handler.js";
import { createSyncEventHub, type SyncEventHub } from "../../src/events/sync-event-hub.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import type { SyncStatus } from "../../src/generated/prisma/enums.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import { type ListeningHttpServer, listenHttpServer } from "../../src/http/listen-http-server.js";
import { silentLogger } from "../../src/logger.js";
import { recordSyncEvent } from "../../src/sync/record-sync-event.js";
import { type SyncEvent, ZERO_COUNTS } from "../../src/sync/sync-event.js";
import { enqueueSync } from "../../src/sync-record/enqueue-sync.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { connectSse, type SseMessage } from "./sse-client.js";

const HEAD = "a".repeat(40);

describe("GET /api/v1/events/project-sync/:syncId", () => {
  let database: TestDatabase;
  let hub: SyncEventHub;
  let subscribed: number;
  let servers: ListeningHttpServer[];
  let url: string;
  let repository: Repository;

  /** A server with the handler mounted as the API mounts it; `terminalGraceMs` long unless a test says otherwise. */
  async function serve(
    options: { heartbeatMs?: number; terminalGraceMs?: number; hub?: SyncEventHub } = {},
  ): Promise<string> {
    const inner = options.hub ?? hub;
    const counting: SyncEventHub = {
      ...inner,
      subscribe: (syncId, listener) => {
        subscribed += 1;
        const unsubscribe = inner.subscribe(syncId, listener);
        return () => {
          subscribed -= 1;
          unsubscribe();
        };
      },
    };
    const router = Router().get(
      "/api/v1/events/project-sync/:syncId",
      createSyncEventsHandler({
        db: database.db,
        hub: counting,
        log: silentLogger,
        heartbeatMs: options.heartbeatMs ?? 60_000,
        terminalGraceMs: options.terminalGraceMs ?? 60_000,
      }),
    );
    const server = await listenHttpServer(
      createHttpServer({ db: database.db, log: silentLogger, version: "test", middleware: [router] }),
      { port: 0, host: "127.0.0.1" },
    );
    servers.push(server);
    return `${server.url}/api/v1/events/project-sync`;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    hub = createSyncEventHub({ databaseUrl: database.url, log: silentLogger });
    await hub.start();
  });
  afterAll(async () => {
    await hub?.stop();
    await database?.drop();
  });
  beforeEach(async () => {
    subscribed = 0;
    servers = [];
    url = await serve();
    await database.db.repository.deleteMany();
    repository = await database.db.repository.create({
      data: { githubId: 77n, key: "octo/live", owner: "octo", name: "live", defaultBranch: "main" },
    });
  });
  afterEach(async () => {
    // fetch may hold a spare keep-alive socket open for seconds after a client aborts
    for (const server of servers) server.server.closeAllConnections();
    await Promise.all(servers.map((server) => server.close()));
  });

  async function runningSync(branch = "main") {
    return database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch,
        trigger: "push",
        headSha: HEAD,
        status: "running",
        startedAt: new Date(),
        heartbeatAt: new Date(),
      },
    });
  }

  function event(syncId: string, type: SyncEvent["type"], fields: Partial<SyncEvent> = {}): SyncEvent {
    return {
      type,
      syncId,
      status: "running",
      phase: "resolve",
      counts: ZERO_COUNTS,
      progress: null,
      error: null,
      at: new Date().toISOString(),
      ...fields,
    };
  }

  /** What the runner records for a sync that succeeds, with the row moved along as run-sync does. */
  async function recordPhase(syncId: string, phase: SyncEvent["phase"]): Promise<void> {
    expect(await recordSyncEvent(database.db, event(syncId, "phase", { phase }))).toBe(true);
  }
  async function finish(syncId: string, status: SyncStatus = "succeeded"): Promise<void> {
    await database.db.projectSync.update({
      where: { id: syncId },
      data: { status, finishedAt: new Date(), added: 2 },
    });
    await recordSyncEvent(
      database.db,
      event(syncId, "status", { status, phase: "finalize", counts: { ...ZERO_COUNTS, added: 2 } }),
    );
  }
  async function storedIds(syncId: string): Promise<string[]> {
    const rows = await database.db.projectSyncEvent.findMany({ where: { syncId }, orderBy: { id: "asc" } });
    return rows.map((row) => row.id.toString());
  }
  /** the data of an event message (a SyncEvent, or the `sync` snapshot's SyncView) */
  const dataOf = (message: SseMessage | undefined) => (message?.data ?? {}) as Partial<SyncEvent>;
  const summary = (messages: SseMessage[]) =>
    messages.map((message) => ({
      id: message.id,
      event: message.event,
      status: dataOf(message).status,
      phase: dataOf(message).phase,
    }));
  async function waitForUnsubscribed(): Promise<void> {
    while (subscribed > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it("replays a finished sync's events in order after a snapshot, then closes", async () => {
    const sync = await runningSync();
    for (const phase of ["resolve", "diff", "fetch", "finalize"] as const) await recordPhase(sync.id, phase);
    await finish(sync.id);
    const ids = await storedIds(sync.id);

    const client = await connectSse(`${url}/${sync.id}`);
    const all = await client.rest({ all: true });

    expect(client.status).toBe(200);
    expect(client.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(client.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(client.headers.get("x-accel-buffering")).toBe("no");
    expect(all[0]).toEqual({ retry: 2000 });
    expect(summary(all.slice(1))).toEqual([
      { id: undefined, event: "sync", status: "succeeded", phase: "finalize" },
      { id: ids[0], event: "phase", status: "running", phase: "resolve" },
      { id: ids[1], event: "phase", status: "running", phase: "diff" },
      { id: ids[2], event: "phase", status: "running", phase: "fetch" },
      { id: ids[3], event: "phase", status: "running", phase: "finalize" },
      { id: ids[4], event: "status", status: "succeeded", phase: "finalize" },
    ]);
    expect(all[1]?.data).toMatchObject({
      id: sync.id,
      repository: "octo/live",
      branch: "main",
      headSha: HEAD,
    });
    expect(all[6]?.data).toEqual(
      event(sync.id, "status", {
        status: "succeeded",
        phase: "finalize",
        counts: { ...ZERO_COUNTS, added: 2 },
        at: dataOf(all[6]).at,
      }),
    );
    await waitForUnsubscribed();
  });

  it("sends events live as they are recorded, and ends after the final status", async () => {
    const sync = await runningSync();
    await recordPhase(sync.id, "resolve");
    const client = await connectSse(`${url}/${sync.id}`);
    const first = await client.until((message) => message.event === "phase");

    await recordPhase(sync.id, "diff");
    const diff = await client.until((message) => message.event === "phase");
    await recordSyncEvent(
      database.db,
      event(sync.id, "progress", { phase: "fetch", progress: { done: 1, total: 3 } }),
    );
    const progress = await client.until((message) => message.event === "progress");
    await finish(sync.id);
    const rest = await client.rest();

    const ids = await storedIds(sync.id);
    expect(summary([...first, ...diff, ...progress, ...rest])).toEqual([
      { id: undefined, event: "sync", status: "running", phase: "resolve" },
      { id: ids[0], event: "phase", status: "running", phase: "resolve" },
      { id: ids[1], event: "phase", status: "running", phase: "diff" },
      { id: ids[2], event: "progress", status: "running", phase: "fetch" },
      { id: ids[3], event: "status", status: "succeeded", phase: "finalize" },
    ]);
    expect(dataOf(progress[0]).progress).toEqual({ done: 1, total: 3 });
    await waitForUnsubscribed();
  });

  it("takes a notification that arrives while the sync is first read, and still streams everything", async () => {
    const sync = await runningSync();
    await recordPhase(sync.id, "resolve");
    // a hub whose notification comes at once, before the stream's first read has finished
    const eager: SyncEventHub = {
      ...hub,
      subscribe: (syncId, listener) => {
        const unsubscribe = hub.subscribe(syncId, listener);
        listener();
        return unsubscribe;
      },
    };
    const eagerUrl = await serve({ hub: eager });

    const client = await connectSse(`${eagerUrl}/${sync.id}`);
    const first = await client.until((message) => message.event === "phase");
    await finish(sync.id);
    const rest = await client.rest();

    const ids = await storedIds(sync.id);
    expect(summary([...first, ...rest])).toEqual([
      { id: undefined, event: "sync", status: "running", phase: "resolve" },
      { id: ids[0], event: "phase", status: "running", phase: "resolve" },
      { id: ids[1], event: "status", status: "succeeded", phase: "finalize" },
    ]);
  });

  it("resumes strictly after Last-Event-ID (header or query), losing nothing and repeating nothing", async () => {
    const sync = await runningSync();
    await recordPhase(sync.id, "resolve");
    await recordPhase(sync.id, "diff");
    const first = await connectSse(`${url}/${sync.id}`);
    const seen = await first.until((message) => message.event === "phase" && message.id !== undefined);
    const lastSeen = seen.at(-1)?.id;
    first.close();
    await waitForUnsubscribed();
    // recorded while nobody listens
    await recordPhase(sync.id, "fetch");

    const byHeader = await connectSse(`${url}/${sync.id}`, { lastEventId: lastSeen });
    const resumed = await byHeader.until((message) => dataOf(message).phase === "fetch");
    await recordPhase(sync.id, "finalize");
    await finish(sync.id);
    const rest = await byHeader.rest();
    const byQuery = await connectSse(`${url}/${sync.id}?lastEventId=${lastSeen}`);
    const fromQuery = await byQuery.rest();

    const ids = await storedIds(sync.id);
    const received = [...seen, ...resumed, ...rest].flatMap((message) => (message.id ? [message.id] : []));
    expect(received).toEqual(ids);
    expect(fromQuery.flatMap((message) => (message.id ? [message.id] : []))).toEqual(ids.slice(1));
  });

  it("sends a heartbeat comment while nothing happens", async () => {
    const sync = await runningSync();
    const fast = await serve({ heartbeatMs: 20 });
    const client = await connectSse(`${fast}/${sync.id}`);

    const messages: SseMessage[] = [];
    for (
      let message = await client.next();
      message && message.comment === undefined;
      message = await client.next()
    )
      messages.push(message);
    client.close();

    expect(messages.map((message) => message.event ?? message.retry)).toEqual([2000, "sync"]);
    await waitForUnsubscribed();
  });

  it("gives a client that connects after the end the final state at once, and closes", async () => {
    const sync = await runningSync();
    await recordPhase(sync.id, "resolve");
    await finish(sync.id, "failed");
    const [, statusId] = await storedIds(sync.id);

    const fresh = await (await connectSse(`${url}/${sync.id}`)).rest();
    const resumedAtEnd = await (await connectSse(`${url}/${sync.id}`, { lastEventId: statusId })).rest();

    expect(summary(fresh).map((message) => message.status)).toEqual(["failed", "running", "failed"]);
    expect(summary(resumedAtEnd)).toEqual([
      { id: undefined, event: "sync", status: "failed", phase: "resolve" },
    ]);
    await waitForUnsubscribed();
  });

  it("ends the stream of a sync superseded while queued, with a status built from its row", async () => {
    const deps = { db: database.db, now: () => new Date(), log: silentLogger };
    const older = await enqueueSync(deps, { repository, branch: "main", trigger: "push", headSha: HEAD });
    const client = await connectSse(`${url}/${older.sync.id}`);
    const snapshot = await client.until((message) => message.event === "sync");

    const newer = await enqueueSync(deps, {
      repository,
      branch: "main",
      trigger: "push",
      headSha: "b".repeat(40),
    });
    const rest = await client.rest();

    expect(summary([...snapshot, ...rest])).toEqual([
      { id: undefined, event: "sync", status: "queued", phase: null },
      { id: undefined, event: "status", status: "cancelled", phase: null },
    ]);
    expect(dataOf(rest[0]).error).toEqual({
      code: "SUPERSEDED",
      message: expect.stringContaining(newer.sync.id),
      retryable: false,
      retryAt: null,
    });
    await waitForUnsubscribed();
  });

  it("waits for the final event a runner records just after marking its sync ended", async () => {
    const sync = await runningSync();
    await recordPhase(sync.id, "finalize");
    await database.db.projectSync.update({
      where: { id: sync.id },
      data: { status: "succeeded", finishedAt: new Date() },
    });
    const client = await connectSse(`${url}/${sync.id}`);
    await client.until((message) => message.event === "phase");

    await recordSyncEvent(database.db, event(sync.id, "status", { status: "succeeded", phase: "finalize" }));
    const rest = await client.rest();

    const ids = await storedIds(sync.id);
    expect(summary(rest)).toEqual([{ id: ids[1], event: "status", status: "succeeded", phase: "finalize" }]);
  });

  it("ends a sync failed by another process's sweep (no final event) once the grace has passed", async () => {
    const sync = await runningSync();
    await recordPhase(sync.id, "fetch");
    const quick = await serve({ terminalGraceMs: 50 });
    const client = await connectSse(`${quick}/${sync.id}`);
    await client.until((message) => message.event === "phase");

    await database.db.projectSync.update({
      where: { id: sync.id },
      data: {
        status: "failed",
        errorCode: "INTERNAL",
        error: "The process stopped.",
        finishedAt: new Date(),
      },
    });
    const rest = await client.rest();

    expect(summary(rest)).toEqual([{ id: undefined, event: "status", status: "failed", phase: "fetch" }]);
    expect(dataOf(rest[0]).error).toMatchObject({
      code: "INTERNAL",
      message: "The process stopped.",
    });
  });

  it("serves many clients of one sync from one subscription each, and unsubscribes a client that leaves", async () => {
    const sync = await runningSync();
    const clients = await Promise.all([1, 2, 3].map(() => connectSse(`${url}/${sync.id}`)));
    for (const client of clients) await client.until((message) => message.event === "sync");
    expect(subscribed).toBe(3);

    clients[0]?.close();
    while (subscribed > 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await recordPhase(sync.id, "resolve");
    await finish(sync.id);
    const [, second, third] = await Promise.all(
      clients.map((client, index) => (index === 0 ? [] : client.rest())),
    );

    expect(summary(second ?? [])).toEqual(summary(third ?? []));
    expect(summary(second ?? []).map((message) => message.event)).toEqual(["phase", "status"]);
    await waitForUnsubscribed();
  });

  it("ends live streams when its hub stops (the process shuts down), so the server can close", async () => {
    const sync = await runningSync();
    const own = createSyncEventHub({ databaseUrl: database.url, log: silentLogger });
    await own.start();
    const client = await connectSse(`${await serve({ hub: own })}/${sync.id}`);
    await client.until((message) => message.event === "sync");

    await own.stop();

    expect(await client.rest()).toEqual([]);
    expect(subscribed).toBe(0);
  });

  it("answers an unknown sync with 404 and a malformed id or Last-Event-ID with 400, as JSON errors", async () => {
    const sync = await runningSync();

    const unknown = await fetch(`${url}/00000000-0000-4000-8000-000000000000`);
    const malformed = await fetch(`${url}/not-a-sync`);
    const badResume = await fetch(`${url}/${sync.id}`, { headers: { "last-event-id": "12; drop" } });

    expect([unknown.status, await unknown.json()]).toEqual([
      404,
      { error: { code: "SYNC_NOT_FOUND", message: "No sync with id 00000000-0000-4000-8000-000000000000." } },
    ]);
    expect([malformed.status, await malformed.json()]).toEqual([
      400,
      { error: { code: "BAD_INPUT", message: '"not-a-sync" is not a sync id (a UUID).' } },
    ]);
    expect(badResume.status).toBe(400);
    expect(((await badResume.json()) as { error: { code: string } }).error.code).toBe("BAD_INPUT");
    expect(subscribed).toBe(0);
  });
});
