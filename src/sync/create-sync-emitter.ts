import { AppError } from "../errors.js";
import type { SyncPhase, SyncStatus } from "../generated/prisma/enums.js";
import { recordSyncEvent } from "./record-sync-event.js";
import type { SyncDeps } from "./sync-context.js";
import { type SyncCounts, type SyncEvent, ZERO_COUNTS } from "./sync-event.js";

const PROGRESS_RECORD_MS = 1_000;

/** Where a run stands: what its events show, and what its end records. */
export type SyncRunState = {
  phase: SyncPhase | null;
  counts: SyncCounts;
  filesFetched: number;
  bytesFetched: number;
};

export type SyncEmitter = {
  readonly state: SyncRunState;
  /** a snapshot event of the run's state, stored (progress at most once a second) before it is returned */
  emit: (
    type: SyncEvent["type"],
    status: SyncStatus,
    extra?: Partial<Pick<SyncEvent, "progress" | "error">>,
  ) => Promise<SyncEvent>;
};

/**
 * The events of one run. Storing an event also moves the sync's phase and heartbeat; when the sync is no longer
 * running (another process declared it dead, or it was cancelled) the emitter throws CONFLICT and the run stops.
 */
export function createSyncEmitter(deps: Pick<SyncDeps, "db" | "now">, syncId: string): SyncEmitter {
  const state: SyncRunState = { phase: null, counts: ZERO_COUNTS, filesFetched: 0, bytesFetched: 0 };
  let lastRecorded = 0;
  return {
    state,
    async emit(type, status, extra = {}) {
      const event: SyncEvent = {
        type,
        syncId,
        status,
        phase: state.phase,
        counts: state.counts,
        progress: extra.progress ?? null,
        error: extra.error ?? null,
        at: deps.now().toISOString(),
      };
      const due = Date.now() - lastRecorded >= PROGRESS_RECORD_MS;
      if (type !== "progress" || due) {
        lastRecorded = Date.now();
        if (!(await recordSyncEvent(deps.db, event))) {
          throw new AppError(
            "CONFLICT",
            `Sync ${syncId} is no longer running here; another process took it over.`,
          );
        }
      }
      return event;
    },
  };
}
