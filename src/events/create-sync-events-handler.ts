import type { RequestHandler } from "express";
import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { parseSyncId } from "../service/get-sync.js";
import { streamSyncEvents } from "./stream-sync-events.js";
import type { SyncEventHub } from "./sync-event-hub.js";

export type CreateSyncEventsHandlerOptions = {
  db: Db;
  hub: SyncEventHub;
  log: Logger;
  /** a comment line this often keeps proxies from closing the stream (default 15 s) */
  heartbeatMs?: number;
  /**
   * how long a sync marked ended may take to record its final event before the stream sends one built from the row
   * and closes (default 5 s; a sync that never started, or ended longer ago, gets it at once)
   */
  terminalGraceMs?: number;
};

// An event id as we send it: a bigint's decimal digits.
const lastEventIdSchema = z
  .string()
  .trim()
  .regex(/^\d{1,19}$/, "expected the id of an event of this stream")
  .transform((value) => BigInt(value))
  .refine((value) => value <= 9_223_372_036_854_775_807n, "expected the id of an event of this stream");

/**
 * `GET /api/v1/events/project-sync/:syncId` — Server-Sent Events of one sync (mounted behind the API's auth): a
 * `sync` snapshot (no id), then every stored event as `id: <event id>` / `event: <type>` / `data: <SyncEvent>`, live
 * as they are recorded by any process sharing the database, until the final status; then the server closes.
 * `Last-Event-ID` (or `?lastEventId=`, for clients that cannot set headers) resumes strictly after that event.
 * @example router.get("/api/v1/events/project-sync/:syncId", createSyncEventsHandler({ db, hub, log }))
 */
export function createSyncEventsHandler(options: CreateSyncEventsHandlerOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      const syncId = parseSyncId(String(req.params.syncId ?? ""));
      const lastEventId = parseLastEventId(req.get("last-event-id") ?? req.query.lastEventId);
      await streamSyncEvents({
        db: options.db,
        hub: options.hub,
        log: options.log,
        syncId,
        lastEventId,
        res,
        heartbeatMs: options.heartbeatMs ?? 15_000,
        terminalGraceMs: options.terminalGraceMs ?? 5_000,
      });
    } catch (error) {
      next(error);
    }
  };
}

function parseLastEventId(input: unknown): bigint | null {
  if (input === undefined || input === "") return null;
  const parsed = lastEventIdSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError("BAD_INPUT", `Last-Event-ID (or lastEventId) must be an event id this stream sent.`);
  return parsed.data;
}
