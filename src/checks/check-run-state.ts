import type { Db } from "../db/create-prisma-client.js";

/**
 * Takes the lease to create a sync's check run: only one process wins, and a lease older than `leaseMs` (its holder
 * died or hung) can be taken over. A sync without a head commit cannot have a check run yet.
 */
export async function takeCreationLease(
  db: Db,
  options: { syncId: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const { count } = await db.projectSync.updateMany({
    where: {
      id: options.syncId,
      headSha: { not: null },
      OR: [
        { checkRunState: "pending" },
        { checkRunState: "creating", checkRunAt: { lt: new Date(options.now.getTime() - options.leaseMs) } },
      ],
    },
    data: { checkRunState: "creating", checkRunAt: options.now },
  });
  return count === 1;
}

/**
 * Records a check run created under the lease. When the sync was re-queued meanwhile (its check run moved to the
 * re-run), the id is stored on the re-run instead; resolves to the sync that holds it, null when none wants it.
 */
export async function storeCreatedCheckRun(
  db: Db,
  options: {
    sync: { id: string; repositoryId: string; branch: string };
    checkRunId: bigint;
    completed: boolean;
    now: Date;
  },
): Promise<string | null> {
  const data = {
    checkRunId: options.checkRunId,
    checkRunState: options.completed ? ("completed" as const) : ("open" as const),
    checkRunAt: options.now,
  };
  let syncId = options.sync.id;
  for (let hop = 0; hop < 8; hop += 1) {
    const { count } = await db.projectSync.updateMany({
      where: { id: syncId, checkRunState: "creating", checkRunId: null },
      data,
    });
    if (count === 1) return syncId;
    const retry = await db.projectSync.findFirst({
      where: { repositoryId: options.sync.repositoryId, branch: options.sync.branch, retryOfSyncId: syncId },
      select: { id: true },
    });
    if (!retry) return null;
    syncId = retry.id;
  }
  return null;
}

/** The check run was completed on GitHub. */
export async function markCheckRunCompleted(db: Db, options: { syncId: string; now: Date }): Promise<void> {
  await db.projectSync.updateMany({
    where: { id: options.syncId, checkRunState: "open" },
    data: { checkRunState: "completed", checkRunAt: options.now },
  });
}

/** The check run was written (progress): the sweep leaves it alone for a lease's time. */
export async function markCheckRunWritten(db: Db, options: { syncId: string; now: Date }): Promise<void> {
  await db.projectSync.updateMany({
    where: { id: options.syncId, checkRunState: "open" },
    data: { checkRunAt: options.now },
  });
}

/** GitHub will not take this sync's check run (no permission, uninstalled): stop trying. Touches nothing else. */
export async function markCheckRunSkipped(db: Db, options: { syncId: string; now: Date }): Promise<boolean> {
  const { count } = await db.projectSync.updateMany({
    where: { id: options.syncId, checkRunState: { in: ["pending", "creating", "open"] } },
    data: { checkRunState: "skipped", checkRunAt: options.now },
  });
  return count === 1;
}
