import type { SyncPhase, SyncStatus } from "../generated/prisma/enums.js";

export const SYNC_PHASES = ["resolve", "diff", "fetch", "finalize"] as const satisfies readonly SyncPhase[];

export type SyncCounts = {
  added: number;
  modified: number;
  removed: number;
  renamed: number;
  unchanged: number;
};

export const ZERO_COUNTS: SyncCounts = { added: 0, modified: 0, removed: 0, renamed: 0, unchanged: 0 };

/**
 * What the pipeline yields. Every event is a full snapshot (phase, status, counts, progress), so a consumer that
 * sees only the latest one — a check run, a reconnecting browser — still knows everything.
 */
export type SyncEvent = {
  type: "phase" | "progress" | "status";
  syncId: string;
  status: SyncStatus;
  phase: SyncPhase | null;
  counts: SyncCounts;
  /** work done in the current phase, when it is countable (blobs fetched of those needed) */
  progress: { done: number; total: number } | null;
  /**
   * why the sync failed; `retryable`: the same sync may succeed later (GitHub or the database unavailable, rate
   * limits, another sync finishing first); `retryAt`: when GitHub said its rate limit resets
   */
  error: { code: string; message: string; retryable: boolean; retryAt?: string | null } | null;
  at: string;
};
