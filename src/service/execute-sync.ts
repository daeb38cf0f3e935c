import { toAppError } from "../errors.js";
import { runQueuedSync } from "../sync/run-queued-sync.js";
import { runSync } from "../sync/run-sync.js";
import type { SyncDeps } from "../sync/sync-context.js";
import type { SyncEvent } from "../sync/sync-event.js";
import type { SyncRunOptions } from "../sync/sync-run-options.js";
import type { SyncView } from "../sync/sync-view.js";
import { cancelQueuedSyncs } from "../sync-record/cancel-queued-syncs.js";
import type { ClaimedSync } from "../sync-record/claim-sync.js";
import type { ServiceDeps } from "./service-deps.js";

export type ExecuteSyncOptions = {
  syncId: string;
  onEvent?: (event: SyncEvent) => void;
  signal?: AbortSignal;
  /** the sync as a queue worker claimed it (already running): it is not claimed again */
  claimed?: ClaimedSync;
  /** what the repository's config makes of the sync (the worker's, from the claimed repository); none by default */
  runOptions?: SyncRunOptions;
  /**
   * what happens to a sync that cannot start (its branch busy): "cancel" records it cancelled (the CLI runs now or
   * not at all), "keep" leaves it queued for a worker to take later. Default "cancel".
   */
  ifBusy?: "cancel" | "keep";
};

/** Runs a queued sync to its end (the pipeline's events go to `onEvent`) and returns it finished. */
export async function executeSync(deps: ServiceDeps, options: ExecuteSyncOptions): Promise<SyncView> {
  const syncDeps = await syncDepsFor(deps, options);
  const events = options.claimed
    ? runSync(syncDeps, options.claimed)
    : runQueuedSync(syncDeps, options.syncId);
  let started = false;
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) return next.value;
      started = true;
      options.onEvent?.(next.value);
    }
  } catch (error) {
    // Run now or not at all: a sync that could not start (its branch is busy) is not left queued behind.
    if (!started && (options.ifBusy ?? "cancel") === "cancel") {
      const { code, message } = toAppError(error);
      await cancelQueuedSyncs(deps.db, {
        where: { id: options.syncId },
        now: deps.now(),
        errorCode: code,
        error: message,
        checkRuns: "keep",
      });
    }
    throw error;
  }
}

/**
 * The pipeline's deps for one sync: a GitHub client for its repository — none for a restore, which reads only memory
 * and so works without credentials — and the repository config's path filter, size cap and digest.
 */
async function syncDepsFor(deps: ServiceDeps, options: ExecuteSyncOptions): Promise<SyncDeps> {
  const sync =
    options.claimed ??
    (await deps.db.projectSync.findUnique({
      where: { id: options.syncId },
      select: { trigger: true, repository: { select: { owner: true, name: true, installationId: true } } },
    }));
  const github = sync && sync.trigger !== "restore" ? await deps.githubFor(sync.repository) : null;
  const runOptions = options.runOptions ?? {};
  return {
    db: deps.db,
    github,
    now: deps.now,
    log: deps.log,
    signal: options.signal,
    pathFilter: runOptions.pathFilter,
    configDigest: runOptions.configDigest,
    // the repository config's cap, else the process's
    maxFileSizeBytes: runOptions.maxFileSizeBytes ?? deps.maxFileSizeBytes,
  };
}
