import { Prisma } from "../generated/prisma/client.js";
import { lockBranchQueue } from "./lock-branch-queue.js";

/** A running sync whose heartbeat is older than this belongs to a process that died. */
export const STALE_AFTER_MS = 90_000;

export type FailDeadSyncOptions = {
  sync: { id: string; repositoryId: string; branch: string };
  now: Date;
  /** what still proves the process dead under the row lock (its heartbeat may have come back meanwhile) */
  stillDead: Prisma.Sql;
  /** the sync's error, from when it was last seen alive */
  reason: (lastSeen: Date) => string;
};

/**
 * The one way a sync whose process died ends: running → failed (INTERNAL), inside the caller's transaction and under
 * the branch's queue lock. A row another process holds (a finalize under way, another sweeper) is skipped, so a sync
 * is failed once and never while it commits. Returns the failed sync's attempt number, or null when nothing was
 * failed. Whether it runs again is the caller's call (the sweep re-queues it; a claim that takes the branch over
 * does not: the claimer syncs the branch itself).
 */
export async function failDeadSync(
  tx: Prisma.TransactionClient,
  options: FailDeadSyncOptions,
): Promise<{ attempt: number } | null> {
  const { sync } = options;
  await lockBranchQueue(tx, sync.repositoryId, sync.branch);
  const [row] = await tx.$queryRaw<{ attempt: number; lastSeen: Date }[]>`
    SELECT attempt, COALESCE("heartbeatAt", "startedAt", "createdAt") AS "lastSeen" FROM "ProjectSync"
    WHERE id = ${sync.id}::uuid AND status = 'running' AND ${options.stillDead}
    FOR UPDATE SKIP LOCKED`;
  if (!row) return null;
  await tx.projectSync.update({
    where: { id: sync.id },
    data: {
      status: "failed",
      errorCode: "INTERNAL",
      error: options.reason(row.lastSeen),
      finishedAt: options.now,
    },
  });
  return { attempt: row.attempt };
}

/** The SQL condition of a heartbeat that stopped before `cutoff` (for FailDeadSyncOptions.stillDead). */
export function heartbeatBefore(cutoff: Date): Prisma.Sql {
  return Prisma.sql`COALESCE("heartbeatAt", "startedAt", "createdAt") < ${cutoff}`;
}
