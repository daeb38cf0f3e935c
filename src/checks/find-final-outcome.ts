import type { Db } from "../db/create-prisma-client.js";
import type { SyncStatus } from "../generated/prisma/enums.js";

type Link = {
  id: string;
  repositoryId: string;
  branch: string;
  status: SyncStatus;
  supersededById: string | null;
};

const SELECT = { id: true, repositoryId: true, branch: true, status: true, supersededById: true } as const;

// Chains are short (a burst, a few retries); a bound keeps a corrupt cycle from looping.
const MAX_HOPS = 50;

/**
 * How the request a sync stands for finally ended: a superseded sync ends as the sync that replaced it, a failed one
 * that is being retried as its re-run. Null while that is not known yet (the last sync is still queued or running).
 */
export async function findFinalOutcome(db: Db, sync: Link): Promise<SyncStatus | null> {
  let current: Link | null = sync;
  for (let hop = 0; current && hop < MAX_HOPS; hop += 1) {
    if (current.status === "queued" || current.status === "running") return null;
    if (current.status === "cancelled" && current.supersededById) {
      const next: Link | null = await db.projectSync.findUnique({
        where: { id: current.supersededById },
        select: SELECT,
      });
      if (!next) return current.status;
      current = next;
      continue;
    }
    if (current.status === "succeeded") return current.status;
    const retry: Link | null = await db.projectSync.findFirst({
      where: { repositoryId: current.repositoryId, branch: current.branch, retryOfSyncId: current.id },
      orderBy: { createdAt: "desc" },
      select: SELECT,
    });
    if (!retry) return current.status;
    current = retry;
  }
  return null;
}
