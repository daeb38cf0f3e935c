import { AppError } from "../errors.js";
import { Prisma, type ProjectSync } from "../generated/prisma/client.js";
import { applyMemoryChanges } from "../memory/apply-memory-changes.js";
import { lockRunningSync } from "../sync-record/lock-running-sync.js";
import { succeedSync } from "../sync-record/succeed-sync.js";
import type { ResolvedTarget, SyncContext, SyncPlan } from "./sync-context.js";

export type FinalizeStats = { filesFetched: number; bytesFetched: number; githubRequests: number };

/**
 * Phase 4, one transaction: supersede replaced entries, insert new ones, link the sync into the branch's lineage and
 * mark it succeeded. Readers see the whole sync or none of it. The lineage link is unique, and the branch's head is
 * re-read under a lock, so a sync whose base moved meanwhile fails instead of overwriting newer memory.
 */
export async function finalizeSync(
  context: SyncContext,
  target: ResolvedTarget,
  plan: SyncPlan,
  stats: FinalizeStats,
): Promise<ProjectSync> {
  const { deps, sync } = context;
  const now = deps.now();
  return deps.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${sync.repositoryId} || ':' || ${sync.branch}))`;
      await lockRunningSync(tx, sync.id);
      const head = await tx.projectSync.findFirst({
        where: { repositoryId: sync.repositoryId, branch: sync.branch, status: "succeeded" },
        orderBy: { generation: "desc" },
        select: { id: true, generation: true },
      });
      if ((head?.id ?? null) !== (context.lineageHead?.id ?? null)) {
        throw new AppError(
          "CONFLICT",
          `The memory of ${sync.branch} changed while this sync ran (another sync finished first); run it again.`,
          { retryable: true },
        );
      }
      const generation = (head?.generation ?? 0) + 1;
      await applyMemoryChanges(tx, {
        repositoryId: sync.repositoryId,
        branch: sync.branch,
        syncId: sync.id,
        generation,
        supersede: plan.supersede,
        insert: plan.insert,
        now,
      });
      return succeedSync(tx, sync.id, {
        phase: "finalize",
        headSha: target.headSha,
        headTreeSha: target.treeSha,
        configDigest: target.configDigest !== undefined ? target.configDigest : (deps.configDigest ?? null),
        subtrees: target.subtrees ? Object.fromEntries(target.subtrees) : Prisma.DbNull,
        baseSha: plan.baseSha,
        baseSyncId: plan.baseSyncId,
        previousSyncId: head?.id ?? null,
        generation,
        ...plan.counts,
        filesFetched: stats.filesFetched,
        bytesFetched: BigInt(stats.bytesFetched),
        githubRequests: stats.githubRequests,
        finishedAt: now,
        heartbeatAt: now,
      });
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
