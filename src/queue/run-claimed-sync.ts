import type { AppError } from "../errors.js";
import { toAppError } from "../errors.js";
import { runOptionsFor } from "../repo-config/run-options-for.js";
import { executeSync } from "../service/execute-sync.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { SyncEvent } from "../sync/sync-event.js";
import type { SyncRunOptions } from "../sync/sync-run-options.js";
import { toSyncError } from "../sync/to-sync-error.js";
import type { ClaimedSync } from "../sync-record/claim-sync.js";
import { failRunningSync } from "../sync-record/fail-running-sync.js";
import { requeueSync } from "../sync-record/requeue-sync.js";
import { isRetryableFailure, MAX_SYNC_ATTEMPTS, retryRunAfter } from "./retry-policy.js";

/** Why a worker aborts a sync it runs when its process stops: such a sync is re-queued, not retried. */
export const SHUTDOWN_REASON = "shutdown";

export type RunClaimedSyncOptions = {
  deps: ServiceDeps;
  claimed: ClaimedSync;
  signal: AbortSignal;
  /** what the repository config makes of a sync; default the repository's stored config (runOptionsFor) */
  runOptionsFor?: (repository: ClaimedSync["repository"]) => SyncRunOptions;
  onEvent?: (syncId: string, event: SyncEvent) => void;
  /** jitter source of the retry delay (tests) */
  random?: () => number;
};

/**
 * Runs one sync a worker claimed, then decides what follows: a transient failure is retried later as a new sync (up
 * to MAX_SYNC_ATTEMPTS), a sync cancelled by a shutdown is queued again for another process. Returns the ids of the
 * syncs whose state changed (the sync, and its retry when one was queued). Never throws for the sync's own failure.
 */
export async function runClaimedSync(options: RunClaimedSyncOptions): Promise<string[]> {
  const { deps, claimed } = options;
  let runOptions: SyncRunOptions;
  try {
    // from the repository row the sync was claimed with: the config it starts under is the config it records
    runOptions = (options.runOptionsFor ?? runOptionsFor)(claimed.repository);
  } catch (error) {
    // e.g. CONFIG_INVALID: the sync fails without running
    await failRunning(deps, claimed.id, toAppError(error));
    return [claimed.id];
  }
  let finalEvent: SyncEvent | undefined;
  try {
    await executeSync(deps, {
      syncId: claimed.id,
      claimed,
      ifBusy: "keep",
      signal: options.signal,
      runOptions,
      onEvent: (event) => {
        finalEvent = event;
        try {
          options.onEvent?.(claimed.id, event);
        } catch (error) {
          deps.log.warn(`sync event hook failed: ${toAppError(error).message}`);
        }
      },
    });
  } catch (thrown) {
    // Failed before its first event (no GitHub client) or could not record its end (database gone): record it if
    // possible; otherwise the sweep finds it without a heartbeat and runs it again.
    const error = toSyncError(thrown);
    deps.log.error(
      `sync ${claimed.id} of ${claimed.repository.key}@${claimed.branch} failed: ${error.message}`,
    );
    await failRunning(deps, claimed.id, error);
    finalEvent = undefined;
  }
  const retry = await followUp(options, finalEvent?.type === "status" ? finalEvent : undefined);
  return retry ? [claimed.id, retry] : [claimed.id];
}

async function followUp(
  options: RunClaimedSyncOptions,
  finalEvent: SyncEvent | undefined,
): Promise<string | null> {
  const { deps, claimed, signal } = options;
  const ended = await deps.db.projectSync.findUnique({ where: { id: claimed.id } });
  if (!ended) return null;
  const now = deps.now();
  let requeue: { nextAttempt: boolean; runAfter: Date | null } | null = null;
  if (ended.status === "cancelled" && signal.aborted && signal.reason === SHUTDOWN_REASON) {
    requeue = { nextAttempt: false, runAfter: null };
  } else if (isRetryableFailure(ended, finalEvent) && ended.attempt < MAX_SYNC_ATTEMPTS) {
    const retryAt = finalEvent?.error?.retryAt ? new Date(finalEvent.error.retryAt) : null;
    requeue = {
      nextAttempt: true,
      runAfter: retryRunAfter({ attempt: ended.attempt, now, retryAt, random: options.random }),
    };
  }
  if (!requeue) return null;
  const request = { syncId: ended.id, now, ...requeue };
  const retry = await deps.db.$transaction((tx) => requeueSync(tx, request));
  if (retry) {
    deps.log.info(
      `sync ${ended.id} of ${claimed.repository.key}@${ended.branch} queued again as ${retry.id}` +
        (retry.runAfter ? ` (after ${retry.runAfter.toISOString()})` : ""),
    );
  }
  return retry?.id ?? null;
}

async function failRunning(deps: ServiceDeps, syncId: string, error: AppError): Promise<void> {
  try {
    await failRunningSync(deps.db, { syncId, status: "failed", error, now: deps.now() });
  } catch (failure) {
    deps.log.error(`recording the failure of sync ${syncId} failed: ${toAppError(failure).message}`);
  }
}
