import { AppError } from "../errors.js";
import type { ProjectSync } from "../generated/prisma/client.js";
import { enqueueSync } from "../sync-record/enqueue-sync.js";
import { parseSyncId } from "./get-sync.js";
import type { ServiceDeps } from "./service-deps.js";

export type RequestRestoreOptions = {
  syncId: string;
  requestedBy?: string;
};

/**
 * The sync a restore goes back to: a successful sync (in the lineage), else SYNC_NOT_FOUND or BAD_INPUT before
 * anything is written.
 */
export async function findRestorableSync(
  deps: Pick<ServiceDeps, "db">,
  syncId: string,
): Promise<ProjectSync> {
  const id = parseSyncId(syncId);
  const source = await deps.db.projectSync.findUnique({ where: { id } });
  if (!source) throw new AppError("SYNC_NOT_FOUND", `No sync with id ${id}.`);
  if (source.status !== "succeeded" || source.generation === null) {
    throw new AppError(
      "BAD_INPUT",
      `Sync ${id} is ${source.status}; only a successful sync can be restored.`,
    );
  }
  return source;
}

/**
 * A restore the caller runs right away (the CLI; the seed's `restoreMemory`): the branch's memory goes back to its
 * state right after the given successful sync, recorded as a new sync with trigger `restore` in the lineage, so the
 * next push diffs against the restored state. Nothing is fetched from GitHub: every version memory ever held is still
 * stored. It is queued through the one door (enqueueSync) as `inline`, so no queue worker takes it; the REST API
 * queues restores for the workers instead.
 */
export async function requestRestore(
  deps: Pick<ServiceDeps, "db" | "now" | "log">,
  options: RequestRestoreOptions,
): Promise<ProjectSync> {
  const source = await findRestorableSync(deps, options.syncId);
  const repository = await deps.db.repository.findUniqueOrThrow({ where: { id: source.repositoryId } });
  const { sync } = await enqueueSync(deps, {
    repository,
    branch: source.branch,
    trigger: "restore",
    headSha: source.headSha ?? undefined,
    restoredFromSyncId: source.id,
    requestedBy: options.requestedBy,
    inline: true,
  });
  return sync;
}
