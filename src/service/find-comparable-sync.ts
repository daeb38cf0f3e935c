import { AppError } from "../errors.js";
import { parseSyncId } from "./get-sync.js";
import type { ServiceDeps } from "./service-deps.js";

/** A successful sync as a point to compare memory at. */
export type ComparableSync = {
  id: string;
  repositoryId: string;
  /** "owner/name" */
  repository: string;
  branch: string;
  headSha: string | null;
  generation: number;
  previousSyncId: string | null;
};

/**
 * A sync whose memory can be compared: SYNC_NOT_FOUND when there is none with that id, BAD_INPUT when the id is not
 * a UUID or the sync did not succeed (only a successful sync has a place in its branch's lineage).
 */
export async function findComparableSync(
  deps: Pick<ServiceDeps, "db">,
  syncId: string,
): Promise<ComparableSync> {
  const id = parseSyncId(syncId);
  const sync = await deps.db.projectSync.findUnique({
    where: { id },
    include: { repository: { select: { owner: true, name: true } } },
  });
  if (!sync) throw new AppError("SYNC_NOT_FOUND", `No sync with id ${id}.`);
  if (sync.status !== "succeeded" || sync.generation === null) {
    throw new AppError(
      "BAD_INPUT",
      `Sync ${id} is ${sync.status}; only a successful sync has memory to compare. Pick a succeeded sync from the history.`,
    );
  }
  return {
    id: sync.id,
    repositoryId: sync.repositoryId,
    repository: `${sync.repository.owner}/${sync.repository.name}`,
    branch: sync.branch,
    headSha: sync.headSha,
    generation: sync.generation,
    previousSyncId: sync.previousSyncId,
  };
}
