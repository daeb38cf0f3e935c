import type { Repository } from "../generated/prisma/client.js";
import { type SyncView, toSyncView } from "../sync/sync-view.js";
import type { ServiceDeps } from "./service-deps.js";

/** The branch's last successful sync — what its memory holds now — or null before its first. */
export async function findSyncedHead(
  deps: Pick<ServiceDeps, "db">,
  repository: Repository,
  branch: string,
): Promise<SyncView | null> {
  const sync = await deps.db.projectSync.findFirst({
    where: { repositoryId: repository.id, branch, status: "succeeded", generation: { not: null } },
    orderBy: { generation: "desc" },
    include: { repository: { select: { owner: true, name: true } } },
  });
  return sync ? toSyncView(sync) : null;
}
