import type { Logger } from "../logger.js";

/**
 * Cross-process notifications that a sync has news (a new ProjectSyncEvent row, or a status change), through
 * PostgreSQL LISTEN/NOTIFY: one dedicated connection per process, fanned out to in-process subscribers. The
 * notification carries only the sync id; subscribers read what is new from the database.
 */
export type SyncEventHub = {
  /** connects and LISTENs (reconnecting with backoff when the connection drops) */
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** calls `listener` whenever `syncId` has news (also after a reconnect, since notifications may have been lost) */
  subscribe: (syncId: string, listener: () => void) => () => void;
};

export type CreateSyncEventHubOptions = { databaseUrl: string; log: Logger };

/** CONTRACT STUB — implemented by the SSE work (issue 5). */
export function createSyncEventHub(_options: CreateSyncEventHubOptions): SyncEventHub {
  throw new Error("createSyncEventHub: not implemented yet");
}
