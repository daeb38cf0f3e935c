import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import { type ComparePageOptions, compareSyncs, type SyncComparison } from "./compare-syncs.js";
import { findComparableSync } from "./find-comparable-sync.js";
import { findSyncedHead } from "./find-synced-head.js";
import { requireKnownBranch } from "./require-known-branch.js";
import type { ServiceDeps } from "./service-deps.js";

/**
 * Everything that changed on a branch after a given successful sync: that sync's memory against the branch's synced
 * head (the same sync: no change). What a reader holding memory as of `sinceSyncId` needs to catch up.
 * @example await changesSince(deps, { repository, branch: "main", sinceSyncId, limit: 100 })
 */
export async function changesSince(
  deps: Pick<ServiceDeps, "db">,
  options: ComparePageOptions & { repository: Repository; branch?: string; sinceSyncId: string },
): Promise<SyncComparison> {
  const branch = options.branch ?? options.repository.defaultBranch;
  await requireKnownBranch(deps, options.repository, branch);
  const head = await findSyncedHead(deps, options.repository, branch);
  if (!head) {
    throw new AppError(
      "NOT_FOUND",
      `Branch "${branch}" has no successful sync yet: its memory is empty. Sync it first.`,
    );
  }
  const { sinceSyncId, ...page } = options;
  const since = await findComparableSync(deps, sinceSyncId);
  if (since.repositoryId !== options.repository.id || since.branch !== branch) {
    throw new AppError(
      "BAD_INPUT",
      `Sync ${since.id} is a sync of ${since.repository} ${since.branch}, not of ${options.repository.owner}/${options.repository.name} ${branch}; compare takes syncs of two branches.`,
    );
  }
  return compareSyncs(deps, { ...page, fromSyncId: since.id, toSyncId: head.id });
}
