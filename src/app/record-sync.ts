import { type EnqueueResult, type EnqueueSyncOptions, enqueueSync } from "../queue/enqueue-sync.js";
import type { ProjectSyncAppDeps } from "./project-sync-app-deps.js";

/**
 * Queues a sync and tells the rest of the process: the reporter creates the new sync's check run (or completes it
 * when the sync was recorded failed or stale at once) and those of the syncs it superseded; the worker looks for work.
 * A redelivered webhook reports nothing: its sync was reported when it was queued.
 */
export async function recordSync(
  deps: Pick<ProjectSyncAppDeps, "service" | "reporter" | "worker">,
  options: EnqueueSyncOptions,
): Promise<EnqueueResult> {
  const result = await enqueueSync(deps.service, options);
  const { sync } = result;
  if (!result.created) {
    deps.service.log.debug(`Delivery ${options.deliveryId} was seen before (sync ${sync.id}): nothing to do`);
    return result;
  }
  if (sync.status === "queued") deps.reporter.enqueued(sync.id);
  else deps.reporter.settled(sync.id);
  for (const superseded of result.superseded) deps.reporter.settled(superseded.id);
  if (sync.status === "queued") deps.worker.wake();
  deps.service.log.info(
    `Sync ${sync.id} of ${options.repository.owner}/${options.repository.name}@${sync.branch} ${sync.status} (${sync.trigger}${
      result.superseded.length > 0 ? `, superseding ${result.superseded.length}` : ""
    })`,
  );
  return result;
}
