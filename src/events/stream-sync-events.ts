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
 * Where one stream is. `reading`: subscribed, the sync is being read, nothing sent (news only marks work pending);
 * `open`: the response is streaming and news starts a drain; `closed`: unsubscribed and timers cleared (for good).
 */
type StreamPhase = "reading" | "open" | "closed";

/** Everything one stream holds between callbacks: its phase, how far it got, its pump, its timers. */
type EventStream = {
  readonly options: StreamSyncEventsOptions;
  phase: StreamPhase;
  /** the id of the last event sent: where a drain reads on */
  lastId: bigint | null;
  /** the sync's final status event was sent */
  terminalSent: boolean;
  /** when this stream first saw the sync ended without a final event (starts the grace period) */
  endedSeenAt: number | null;
  /** news arrived that no drain has read yet */
  pending: boolean;
  /** a drain is running: news arriving meanwhile is read by its next round */
  draining: boolean;
  /** the row read on opening: the first round of the first drain uses it instead of reading it again */
  preloaded: SyncRow | null;
  heartbeat?: NodeJS.Timeout;
  graceTimer?: NodeJS.Timeout;
  unsubscribeEvents: () => void;
  unsubscribeStop?: () => void;
};

/**
 * Streams one sync's events to one client until the sync has ended and its final status was sent. Subscribes before
 * the first read, so nothing recorded meanwhile is missed; every notification re-reads the events after the last one
 * sent, one read at a time, so they go out in id order, each once. Throws SYNC_NOT_FOUND (before any byte is sent)
 * for an unknown sync; resolves once the stream is open.
 */
export async function streamSyncEvents(options: StreamSyncEventsOptions): Promise<void> {
  const { db, syncId, res } = options;
  const stream = subscribeStream(options);
  let row: SyncRow | null;
  try {
    row = await readSync(db, syncId);
  } catch (error) {
    closeStream(stream);
    throw error;
  }
  if (!row) {
    closeStream(stream);
    throw new AppError("SYNC_NOT_FOUND", `No sync with id ${syncId}.`);
  }
  if (res.closed || res.socket?.destroyed) {
    closeStream(stream); // the client left while we read
    return;
  }
  openStream(stream, row);
}

/** reading: subscribes to the sync's news and to the process's shutdown before anything is read. */
function subscribeStream(options: StreamSyncEventsOptions): EventStream {
  const stream: EventStream = {
    options,
    phase: "reading",
    lastId: options.lastEventId,
    terminalSent: false,
    endedSeenAt: null,
    pending: true,
    draining: false,
    preloaded: null,
    unsubscribeEvents: () => {},
  };
  stream.unsubscribeEvents = options.hub.subscribe(options.syncId, () => poke(stream));
  // the process shuts down: end the stream so the server can close; the client resumes elsewhere
  stream.unsubscribeStop = options.hub.onStop?.(() => endStream(stream));
  return stream;
}

/**
 * reading → open: sends the headers, the retry delay and the sync's current state, then drains what is new. When the
 * process began shutting down while the sync was read (the stream is closed already), the response just ends.
 */
function openStream(stream: EventStream, row: SyncRow): void {
  const { res, log, syncId } = stream.options;
  res.on("close", () => closeStream(stream));
  // a write after the response ended (the server's shutdown ends event streams) would emit an unhandled 'error'
  res.on("error", (error) => log.debug(`The event stream of sync ${syncId} failed: ${error.message}`));
  res.status(200);
  res.set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  res.write(`retry: ${RETRY_MS}\n\n`);
  if (stream.phase === "closed") {
    res.end(); // the process began shutting down while we read (only the hub's stop closes a stream this early)
    return;
  }
  stream.heartbeat = setInterval(() => {
    if (isWritable(stream)) res.write(": ping\n\n");
  }, stream.options.heartbeatMs);
  // the current state first, without an id, so it never moves where a reconnect resumes
  res.write(formatSseFrame({ event: "sync", data: toSyncView(row) }));
  stream.preloaded = row;
  stream.phase = "open";
  void drain(stream);
}

/** The sync has news: an open stream drains it (unless a drain runs already); a reading one picks it up on opening. */
function poke(stream: EventStream): void {
  stream.pending = true;
  if (stream.phase === "open" && !stream.draining) void drain(stream);
}

/** → closed: stops listening and clears the timers; the response is left as it is. */
function closeStream(stream: EventStream): void {
  if (stream.phase === "closed") return;
  stream.phase = "closed";
  stream.unsubscribeEvents();
  stream.unsubscribeStop?.();
  clearInterval(stream.heartbeat);
  clearTimeout(stream.graceTimer);
}

/** → closed, and ends the response once it was opened. */
function endStream(stream: EventStream): void {
  closeStream(stream);
  const { res } = stream.options;
  if (res.headersSent && !res.writableEnded) res.end();
}

function isWritable(stream: EventStream): boolean {
  const { res } = stream.options;
  return stream.phase !== "closed" && !res.writableEnded && !res.destroyed;
}

async function write(stream: EventStream, chunk: string): Promise<void> {
  const { res } = stream.options;
  // a slow client: wait for its buffer to drain rather than hold every event in memory
  if (isWritable(stream) && !res.write(chunk)) await waitForDrain(res);
}

/** Pumps while news is pending, one round at a time; a failure ends the stream. */
async function drain(stream: EventStream): Promise<void> {
  stream.draining = true;
  try {
    while (stream.pending && stream.phase !== "closed") {
      stream.pending = false;
      const first = stream.preloaded;
      stream.preloaded = null;
      await pumpOnce(stream, first);
    }
  } catch (error) {
    // the client reconnects (retry:) and resumes after the last id it got
    stream.options.log.warn(
      `The event stream of sync ${stream.options.syncId} stopped: ${toAppError(error).message}`,
    );
    endStream(stream);
  } finally {
    stream.draining = false;
  }
}

/**
 * One round: sends the events after the last one sent and ends the stream once the sync has ended. The row is read
 * before the events: when it says the sync ended, every event it recorded before ending is among those read after it.
 */
async function pumpOnce(stream: EventStream, preloaded: SyncRow | null): Promise<void> {
  const { db, syncId } = stream.options;
  const sync = preloaded ?? (await readSync(db, syncId));
  if (!sync) {
    endStream(stream); // purged meanwhile
    return;
  }
  await sendNewEvents(stream);
  if (stream.phase === "closed" || !TERMINAL.has(sync.status)) return;
  if (stream.terminalSent || (await terminalEventSentBefore(db, syncId, stream.lastId))) {
    endStream(stream);
    return;
  }
  await awaitFinalEvent(stream, sync);
}

async function sendNewEvents(stream: EventStream): Promise<void> {
  const { db, syncId } = stream.options;
  for (;;) {
    const events = await db.projectSyncEvent.findMany({
      where: { syncId, ...(stream.lastId === null ? {} : { id: { gt: stream.lastId } }) },
      orderBy: { id: "asc" },
      take: PAGE_SIZE,
    });
    for (const event of events) {
      if (stream.phase === "closed") return;
      await write(
        stream,
        formatSseFrame({ id: event.id.toString(), event: event.type, data: event.payload }),
      );
      stream.lastId = event.id;
      if (isTerminalEvent(event)) stream.terminalSent = true;
    }
    if (events.length < PAGE_SIZE) return;
  }
}

/**
 * Ended, but no final event yet. A running sync is marked ended and then records its final event (a moment later,
 * and that insert notifies us); one that never started (superseded while queued) or whose process died (failed by a
 * sweep) never records one — for those, the row's own state is the last word, sent once the grace period is over.
 */
async function awaitFinalEvent(stream: EventStream, sync: SyncRow): Promise<void> {
  const now = Date.now();
  stream.endedSeenAt ??= now;
  const endedAt = (sync.finishedAt ?? sync.updatedAt).getTime();
  const deadline = Math.min(endedAt, stream.endedSeenAt) + stream.options.terminalGraceMs;
  if (sync.startedAt === null || now >= deadline) {
    await write(stream, formatSseFrame({ event: "status", data: synthesizeStatusEvent(sync) }));
    endStream(stream);
    return;
  }
  clearTimeout(stream.graceTimer);
  stream.graceTimer = setTimeout(() => poke(stream), deadline - now);
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
