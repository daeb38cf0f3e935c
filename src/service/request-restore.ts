import { AppError } from "../errors.js";
import type { ProjectSync } from "../generated/prisma/client.js";
import { parseSyncId } from "./get-sync.js";
import type { ServiceDeps } from "./service-deps.js";

export type RequestRestoreOptions = {
  syncId: string;
  requestedBy?: string;
  /**
   * true (default): the caller runs the restore right away (CLI) and no queue worker takes it; false: it waits in the
   * queue for a worker (the REST API), behind any sync of the branch queued before it.
   */
  inline?: boolean;
};

/**
 * Queues a restore (the seed's `restoreMemory`): the branch's memory goes back to its state right after the given
 * successful sync, recorded as a new sync with trigger `restore` in the lineage, so the next push diffs against the
 * restored state. Nothing is fetched from GitHub: every version memory ever held is still stored.
 */
export async function requestRestore(
  deps: Pick<ServiceDeps, "db" | "now">,
  options: RequestRestoreOptions,
): Promise<ProjectSync> {
  const id = parseSyncId(options.syncId);
  const source = await deps.db.projectSync.findUnique({ where: { id } });
  if (!source) throw new AppError("SYNC_NOT_FOUND", `No sync with id ${id}.`);
  if (source.status !== "succeeded" || source.generation === null) {
    throw new AppError(
      "BAD_INPUT",
      `Sync ${id} is ${source.status}; only a successful sync can be restored.`,
    );
  }
  return deps.db.projectSync.create({
    data: {
      repositoryId: source.repositoryId,
      branch: source.branch,
      trigger: "restore",
      headSha: source.headSha,
      restoredFromSyncId: source.id,
      inline: options.inline ?? true,
      requestedBy: options.requestedBy ?? null,
      createdAt: deps.now(),
    },
  });
}
