import type { SyncEvent } from "../sync/sync-event.js";

/**
 * Mirrors syncs on GitHub: the check run of a sync (created, progress, completed) and the reaction on the `/sync`
 * comment that asked for it. Every method is fire-and-forget and converges on the sync's state in the database, so a
 * lost call is repaired by the next one or by `sweep`.
 */
export type SyncReporter = {
  /** a sync was queued (create its check run `queued`) */
  enqueued: (syncId: string) => void;
  /** progress of a running sync (phase changes always, otherwise throttled) */
  event: (syncId: string, event: SyncEvent) => void;
  /** a sync reached an end (or was re-queued, superseded, declared dead): complete or update what GitHub shows */
  settled: (syncId: string) => void;
  /** durable backstop: check runs and reactions that a crash or a GitHub error left behind */
  sweep: () => Promise<void>;
  /** resolves when no report is in flight (tests, shutdown) */
  idle: () => Promise<void>;
  /** a sync needs no report after all (superseded before its check run was due): drops what is held for it */
  forget?: (syncId: string) => void;
  /** drops this process's timers (queued syncs waiting for their check run, held-back progress): shutdown */
  stop?: () => void;
};
