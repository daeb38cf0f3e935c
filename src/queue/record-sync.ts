import type { ProjectSync } from "../generated/prisma/client.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { type EnqueueResult, type EnqueueSyncOptions, enqueueSync } from "../sync-record/enqueue-sync.js";
import type { SyncReporter } from "./sync-reporter.js";
import type { SyncWorker } from "./sync-worker.js";

/** What queueing a sync from a request (webhook, REST) needs: the services, the reporter, this process's worker. */
export type RecordSyncDeps = {
  service: ServiceDeps;
  /** a queued sync gets its check run; syncs it superseded (or recorded failed at once) get theirs completed */
  reporter: Pick<SyncReporter, "enqueued" | "settled" | "forget">;
  /** woken when a sync was queued (a no-op in a web-only process) */
  worker: Pick<SyncWorker, "wake">;
};

/**
 * Queues a sync and tells the rest of the process: the reporter creates the new sync's check run (or completes it
 * when the sync was recorded failed or stale at once) and those of the syncs it superseded; the worker looks for work.
 * A redelivered webhook reports nothing: its sync was reported when it was queued.
 */
export async function recordSync(deps: RecordSyncDeps, options: EnqueueSyncOptions): Promise<EnqueueResult> {
  const result = await enqueueSync(deps.service, options);
  const { sync } = result;
  if (!result.created) {
    deps.service.log.debug(`Delivery ${options.deliveryId} was seen before (sync ${sync.id}): nothing to do`);
    return result;
  }
  if (sync.status === "queued") deps.reporter.enqueued(sync.id);
  else if (hasReport(sync)) deps.reporter.settled(sync.id);
  // Most of a burst is superseded before its check run was due: nothing to tell GitHub, only timers to drop.
  for (const superseded of result.superseded) {
    if (hasReport(superseded)) deps.reporter.settled(superseded.id);
    else deps.reporter.forget?.(superseded.id);
  }
  if (sync.status === "queued") deps.worker.wake();
  deps.service.log.info(
    `Sync ${sync.id} of ${options.repository.owner}/${options.repository.name}@${sync.branch} ${sync.status} (${sync.trigger}${
      result.superseded.length > 0 ? `, superseding ${result.superseded.length}` : ""
    })`,
  );
  return result;
}

/** Whether GitHub shows something of this sync that its end changes: a check run, or a `/sync` comment's reaction. */
function hasReport(sync: Pick<ProjectSync, "checkRunState" | "commentId">): boolean {
  return sync.checkRunState !== null || sync.commentId !== null;
}
