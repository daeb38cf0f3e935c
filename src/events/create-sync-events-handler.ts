import type { RequestHandler } from "express";
import type { Db } from "../db/create-prisma-client.js";
import type { Logger } from "../logger.js";
import type { SyncEventHub } from "./sync-event-hub.js";

export type CreateSyncEventsHandlerOptions = {
  db: Db;
  hub: SyncEventHub;
  log: Logger;
  /** a comment line this often keeps proxies from closing the stream (default 15 s) */
  heartbeatMs?: number;
};

/**
 * `GET /api/v1/events/project-sync/:syncId` — Server-Sent Events of one sync (mounted behind the API's auth).
 * CONTRACT STUB — implemented by the SSE work (issue 5).
 */
export function createSyncEventsHandler(_options: CreateSyncEventsHandlerOptions): RequestHandler {
  return (_req, _res, next) => next();
}
