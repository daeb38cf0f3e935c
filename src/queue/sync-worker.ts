import type { Repository } from "../generated/prisma/client.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { SyncEvent } from "../sync/sync-event.js";
import type { SyncRunOptions } from "../sync/sync-run-options.js";

export type SyncWorkerHooks = {
  /** every event of a sync this worker runs (check-run progress) */
  onEvent?: (syncId: string, event: SyncEvent) => void;
  /** a sync changed state outside a running event stream: finished, failed unstarted, re-queued, declared dead */
  onSettled?: (syncId: string) => void;
};

export type SyncWorker = {
  /** starts polling for queued syncs (and sweeping) */
  start: () => void;
  /** look for work now (after this process queued a sync) */
  wake: () => void;
  /** stops taking syncs; running ones are cancelled and re-queued for another process, within graceMs */
  stop: (options?: { graceMs?: number }) => Promise<void>;
  /** one pass of the durable checks: dead processes' syncs, stale inline syncs, inactive repositories */
  sweep: () => Promise<void>;
  /** tests: claim and run queued syncs until none is eligible, then resolve */
  runUntilIdle: () => Promise<void>;
  /** started and not stopping (readiness) */
  isRunning: () => boolean;
};

export type CreateSyncWorkerOptions = {
  deps: ServiceDeps;
  /** syncs this process runs at once (SYNC_CONCURRENCY) */
  concurrency: number;
  pollIntervalMs?: number;
  sweepIntervalMs?: number;
  /** the repository config's effect on a sync (path filter, size cap, digest); default runOptionsFor of its stored config */
  runOptionsFor?: (repository: Repository) => SyncRunOptions;
  hooks?: SyncWorkerHooks;
  /** this process's presence (see createProcessPresence): its key is recorded on the syncs it claims */
  presence?: { readonly key: number };
};
