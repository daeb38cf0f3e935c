import type { AppError } from "../errors.js";
import type { ProjectSync, Repository } from "../generated/prisma/client.js";
import type { SyncTrigger } from "../generated/prisma/enums.js";
import type { ServiceDeps } from "../service/service-deps.js";

export type EnqueueSyncOptions = {
  repository: Repository;
  /** the repository's default branch when absent */
  branch?: string;
  full?: boolean;
  trigger: SyncTrigger;
  /** the commit to sync (a push's `after`); the worker resolves the branch head when absent */
  headSha?: string;
  /** a push's `before`: a delivery older than a push already recorded for the branch is stale */
  pushBefore?: string;
  /** the push deleted the branch: the sync retires the branch's memory and fetches nothing */
  deletesBranch?: boolean;
  /** a webhook delivery queues at most one sync: a redelivery returns the sync it queued (`created: false`) */
  deliveryId?: string;
  requestedBy?: string;
  /** the `/sync` comment to react on when the sync ends */
  commentId?: bigint;
  /** report the sync as a GitHub check run (checkRunState `pending`) */
  checkRun?: boolean;
  /** a restore's source sync */
  restoredFromSyncId?: string;
  /** record the sync as failed right away with this error (an invalid repository config); supersedes nothing */
  failWith?: AppError;
};

export type EnqueueResult = {
  sync: ProjectSync;
  /** false when the delivery was seen before and nothing was written */
  created: boolean;
  /** queued syncs of the branch this one replaced, now `cancelled` with `supersededById` = sync.id */
  superseded: ProjectSync[];
};

/** CONTRACT STUB — implemented by the queue work (see the GitHub App issue). */
export async function enqueueSync(
  _deps: Pick<ServiceDeps, "db" | "now" | "log">,
  _options: EnqueueSyncOptions,
): Promise<EnqueueResult> {
  throw new Error("enqueueSync: not implemented yet");
}
