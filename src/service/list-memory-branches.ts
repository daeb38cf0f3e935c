import type { Repository } from "../generated/prisma/client.js";
import { type SyncView, toSyncView } from "../sync/sync-view.js";
import type { ServiceDeps } from "./service-deps.js";

/** A branch as memory knows it, without asking GitHub. */
export type MemoryBranchView = {
  name: string;
  isDefault: boolean;
  /** the head memory holds (the last successful sync's), null before the first */
  syncedHeadSha: string | null;
  /** the branch's most recent sync, whatever its status */
  lastSync: SyncView;
};

// a repository's recorded branches, read at once: beyond this, a page of them
const MAX_BRANCHES = 5000;

/** Every branch memory has recorded a sync of, by name, with its synced head and last sync — no GitHub request. */
export async function listMemoryBranches(
  deps: Pick<ServiceDeps, "db">,
  repository: Repository,
): Promise<MemoryBranchView[]> {
  const [latest, succeeded] = await Promise.all([
    deps.db.projectSync.findMany({
      where: { repositoryId: repository.id },
      distinct: ["branch"],
      orderBy: [{ branch: "asc" }, { createdAt: "desc" }, { id: "desc" }],
      include: { repository: { select: { owner: true, name: true } } },
      take: MAX_BRANCHES,
    }),
    deps.db.projectSync.findMany({
      where: { repositoryId: repository.id, status: "succeeded", generation: { not: null } },
      distinct: ["branch"],
      orderBy: [{ branch: "asc" }, { generation: "desc" }],
      select: { branch: true, headSha: true },
      take: MAX_BRANCHES,
    }),
  ]);
  const syncedHead = new Map(succeeded.map((sync) => [sync.branch, sync.headSha]));
  return latest.map((sync) => ({
    name: sync.branch,
    isDefault: sync.branch === repository.defaultBranch,
    syncedHeadSha: syncedHead.get(sync.branch) ?? null,
    lastSync: toSyncView(sync),
  }));
}
