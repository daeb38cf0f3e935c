import type { Response } from "express";
import type { Db } from "../db/create-prisma-client.js";
import { AppError, toAppError } from "../errors.js";
import type { ProjectSync, ProjectSyncEvent } from "../generated/prisma/client.js";
import type { SyncStatus } from "../generated/prisma/enums.js";
import type { Logger } from "../logger.js";
import { toSyncView } from "../sync/sync-view.js";
import { formatSseFrame } from "./format-sse-frame.js";
import type { SyncEventHub } from "./sync-event-hub.js";
import { synthesizeStatusEvent } from "./synthesize-status-event.js";
import { waitForDrain } from "./wait-for-drain.js";

export type StreamSyncEventsOptions = {
  db: Db;
  hub: SyncEventHub;
  log: Logger;
  syncId: string;
  /** resume strictly after this event id (a reconnect's `Last-Event-ID`); null: from the first event */
  lastEventId: bigint | null;
  res: Response;
  heartbeatMs: number;
  /** how long an ended sync may take to record its final event before one is synthesised from its row */
  terminalGraceMs: number;
};

const TERMINAL: ReadonlySet<SyncStatus> = new Set(["succeeded", "failed", "cancelled"]);
const RETRY_MS = 2_000;
const PAGE_SIZE = 500;

type SyncRow = ProjectSync & { repository: { owner: string; name: string } };

/**
 * Streams one sync's events to one client until the sync has ended and its final status was sent. Subscribes before
 * the first read, so nothing recorded meanwhile is missed; every notification re-reads the events after the last one
 * sent, one read at a time, so they go out in id order, each once. Throws SYNC_NOT_FOUND (before any byte is sent)
 * for an unknown sync; resolves once the stream is open.
 */
export async function streamSyncEvents(options: StreamSyncEventsOptions): Promise<void> {
  const { db, hub, log, syncId, res } = options;
  let lastId = options.lastEventId;
  let terminalSent = false;
  let closed = false;
  let pending = true;
  let draining = false;
  let endedSeenAt: number | null = null;
  let graceTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let opened = false;
  let stopping = false;
  // Notifications can arrive while the sync is first read, before `drain` exists: they only mark work pending, which
  // the first drain picks up.
  let started = false;
  const poke = () => {
    pending = true;
    if (started && !draining && !closed) void drain();
  };
  const unsubscribeEvents = hub.subscribe(syncId, poke);
  // the process shuts down: end the stream so the server can close; the client resumes elsewhere
  const unsubscribeStop = hub.onStop?.(() => {
    stopping = true;
    end();
  });
  const cleanUp = () => {
    if (closed) return;
    closed = true;
    unsubscribeEvents();
    unsubscribeStop?.();
    clearInterval(heartbeat);
    clearTimeout(graceTimer);
  };
  const end = () => {
    cleanUp();
    if (opened && !res.writableEnded) res.end();
  };

  let row: SyncRow | null;
  try {
    row = await readSync(db, syncId);
  } catch (error) {
    cleanUp();
    throw error;
  }
  if (!row) {
    cleanUp();
    throw new AppError("SYNC_NOT_FOUND", `No sync with id ${syncId}.`);
  }
  if (res.closed || res.socket?.destroyed) {
    cleanUp(); // the client left while we read
    return;
  }
  res.on("close", cleanUp);
  // a write after the response ended (the server's shutdown ends event streams) would emit an unhandled 'error'
  res.on("error", (error) => log.debug(`The event stream of sync ${syncId} failed: ${error.message}`));
  const writable = () => !closed && !res.writableEnded && !res.destroyed;
  const write = async (chunk: string) => {
    // a slow client: wait for its buffer to drain rather than hold every event in memory
    if (writable() && !res.write(chunk)) await waitForDrain(res);
  };

  res.status(200);
  res.set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  opened = true;
  res.socket?.setNoDelay(true);
  res.write(`retry: ${RETRY_MS}\n\n`);
  if (stopping) {
    res.end(); // the process began shutting down while we read
    return;
  }
  heartbeat = setInterval(() => {
    if (writable()) res.write(": ping\n\n");
  }, options.heartbeatMs);
  // the current state first, without an id, so it never moves where a reconnect resumes
  res.write(formatSseFrame({ event: "sync", data: toSyncView(row) }));

  const sendNewEvents = async () => {
    for (;;) {
      const events = await db.projectSyncEvent.findMany({
        where: { syncId, ...(lastId === null ? {} : { id: { gt: lastId } }) },
        orderBy: { id: "asc" },
        take: PAGE_SIZE,
      });
      for (const event of events) {
        if (closed) return;
        await write(formatSseFrame({ id: event.id.toString(), event: event.type, data: event.payload }));
        lastId = event.id;
        if (isTerminalEvent(event)) terminalSent = true;
      }
      if (events.length < PAGE_SIZE) return;
    }
  };

  // The row is read before the events: when it says the sync ended, every event it recorded before ending is among
  // those read after it.
  const pumpOnce = async (preloaded: SyncRow | null) => {
    const sync = preloaded ?? (await readSync(db, syncId));
    if (!sync) {
      end(); // purged meanwhile
      return;
    }
    await sendNewEvents();
    if (closed || !TERMINAL.has(sync.status)) return;
    if (terminalSent || (await terminalEventSentBefore(db, syncId, lastId))) {
      end();
      return;
    }
    // Ended, but no final event yet. A running sync is marked ended and then records its final event (a moment
    // later, and that insert notifies us); one that never started (superseded while queued) or whose process died
    // (failed by a sweep) never records one — for those, the row's own state is the last word.
    const now = Date.now();
    endedSeenAt ??= now;
    const endedAt = (sync.finishedAt ?? sync.updatedAt).getTime();
    const deadline = Math.min(endedAt, endedSeenAt) + options.terminalGraceMs;
    if (sync.startedAt === null || now >= deadline) {
      await write(formatSseFrame({ event: "status", data: synthesizeStatusEvent(sync) }));
      end();
      return;
    }
    clearTimeout(graceTimer);
    graceTimer = setTimeout(poke, deadline - now);
  };

  let preloaded: SyncRow | null = row;
  const drain = async () => {
    draining = true;
    try {
      while (pending && !closed) {
        pending = false;
        const first = preloaded;
        preloaded = null;
        await pumpOnce(first);
      }
    } catch (error) {
      // the client reconnects (retry:) and resumes after the last id it got
      log.warn(`The event stream of sync ${syncId} stopped: ${toAppError(error).message}`);
      end();
    } finally {
      draining = false;
    }
  };
  started = true;
  void drain();
}

function readSync(db: Db, syncId: string): Promise<SyncRow | null> {
  return db.projectSync.findUnique({
    where: { id: syncId },
    include: { repository: { select: { owner: true, name: true } } },
  });
}

function isTerminalEvent(event: Pick<ProjectSyncEvent, "type" | "payload">): boolean {
  if (event.type !== "status") return false;
  const status = (event.payload as { status?: unknown } | null)?.status;
  return typeof status === "string" && TERMINAL.has(status as SyncStatus);
}

/** A resumed client (Last-Event-ID at or past the final event) already has the end. */
async function terminalEventSentBefore(db: Db, syncId: string, lastId: bigint | null): Promise<boolean> {
  if (lastId === null) return false;
  const statuses = await db.projectSyncEvent.findMany({
    where: { syncId, type: "status", id: { lte: lastId } },
    select: { type: true, payload: true },
  });
  return statuses.some(isTerminalEvent);
}
