import { AppError } from "../errors.js";
import type { ProjectSync } from "../generated/prisma/client.js";
import { parseSyncId } from "./get-sync.js";
import type { ServiceDeps } from "./service-deps.js";

/**
 * Queues a restore (the seed's `restoreMemory`): the branch's memory goes back to its state right after the given
 * successful sync, recorded as a new sync with trigger `restore` in the lineage, so the next push diffs against the
 * restored state. Nothing is fetched from GitHub: every version memory ever held is still stored.
 */
export async function requestRestore(
  deps: Pick<ServiceDeps, "db" | "now">,
  options: { syncId: string; requestedBy?: string },
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
      // the caller runs it right away (CLI): the queue's workers never take it
      inline: true,
      requestedBy: options.requestedBy ?? null,
      createdAt: deps.now(),
    },
  });
}
