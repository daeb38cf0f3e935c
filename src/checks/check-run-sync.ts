import type { SyncPhase, SyncStatus, SyncTrigger } from "../generated/prisma/enums.js";
import type { SyncCounts } from "../sync/sync-event.js";

/** A re-run is given up after this many attempts (the first run counts): the queue's limit. */
export { MAX_SYNC_ATTEMPTS } from "../queue/retry-policy.js";

/** What a check run shows of a sync: the row, overlaid with the newest progress event while it runs. */
export type CheckRunSync = {
  id: string;
  branch: string;
  headSha: string | null;
  status: SyncStatus;
  phase: SyncPhase | null;
  trigger: SyncTrigger;
  full: boolean;
  counts: SyncCounts;
  /** work done in the current phase (blobs fetched of those needed), from the newest event */
  progress: { done: number; total: number } | null;
  error: { code: string; message: string } | null;
  attempt: number;
  /** a queued re-run of a failed attempt starts no earlier than this */
  runAfter: Date | null;
  retryOfSyncId: string | null;
  /** why the attempt before this re-run failed */
  previousError: { code: string; message: string } | null;
  previousSyncId: string | null;
  baseSha: string | null;
  baseSyncId: string | null;
  restoredFromSyncId: string | null;
  generation: number | null;
  githubRequests: number;
  filesFetched: number;
  bytesFetched: number;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** the sync that replaced this one when it was cancelled as superseded */
  supersededBy: { id: string; headSha: string | null; deletesBranch: boolean } | null;
};
