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
      AND: [{ OR: [{ checkRunRetryAt: null }, { checkRunRetryAt: { lte: options.now } }] }],
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
    checkRunRetryAt: null,
    checkRunAdopt: false,
  };
  let syncId = options.sync.id;
  for (let hop = 0; hop < 8; hop += 1) {
    // a re-run queued while the creation was under way waits for it as `pending` (see requeueSync)
    const { count } = await db.projectSync.updateMany({
      where: {
        id: syncId,
        checkRunState: { in: hop === 0 ? ["creating"] : ["creating", "pending"] },
        checkRunId: null,
      },
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
    data: { checkRunState: "completed", checkRunAt: options.now, checkRunRetryAt: null },
  });
}

/** The check run was written (progress): the sweep leaves it alone for a lease's time. */
export async function markCheckRunWritten(db: Db, options: { syncId: string; now: Date }): Promise<void> {
  await db.projectSync.updateMany({
    where: { id: options.syncId, checkRunState: "open" },
    data: { checkRunAt: options.now, checkRunRetryAt: null },
  });
}

/**
 * A write of the check run must wait (GitHub's write budget, a secondary rate limit, a queued sync's delay): the
 * sweep writes it from `until`. A creation lease held for it is given back.
 */
export async function deferCheckRun(db: Db, options: { syncId: string; until: Date }): Promise<void> {
  await db.projectSync.updateMany({
    where: { id: options.syncId, checkRunState: "creating", checkRunId: null },
    data: { checkRunState: "pending", checkRunRetryAt: options.until },
  });
  await db.projectSync.updateMany({
    where: { id: options.syncId, checkRunState: { in: ["pending", "open"] } },
    data: { checkRunRetryAt: options.until },
  });
}

/**
 * A finished sync whose check run was never created (it waited for GitHub's write budget) needs none once its
 * branch has moved on — a later push, sync or restore of the branch was recorded: the pull request shows the newer
 * head's. Returns whether the check run was dropped.
 */
export async function dropCheckRunIfMovedOn(
  db: Db,
  sync: { id: string; repositoryId: string; branch: string; createdAt: Date },
): Promise<boolean> {
  const newer = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "ProjectSync"
    WHERE "repositoryId" = ${sync.repositoryId}::uuid AND branch = ${sync.branch} AND "createdAt" > ${sync.createdAt}
      AND "retryOfSyncId" IS DISTINCT FROM ${sync.id}::uuid
      -- a late delivery recorded stale at once does not move the branch on; a sync superseded while queued leaves
      -- the one that replaced it, which is found on its own
      AND NOT (status = 'cancelled' AND "startedAt" IS NULL AND "errorCode" IS NOT DISTINCT FROM 'SUPERSEDED')
    LIMIT 1`;
  if (newer.length === 0) return false;
  const { count } = await db.projectSync.updateMany({
    where: { id: sync.id, checkRunState: { in: ["pending", "creating"] }, checkRunId: null },
    data: { checkRunState: null, checkRunAt: null, checkRunRetryAt: null },
  });
  return count === 1;
}

/** GitHub will not take this sync's check run (no permission, uninstalled): stop trying. Touches nothing else. */
export async function markCheckRunSkipped(db: Db, options: { syncId: string; now: Date }): Promise<boolean> {
  const { count } = await db.projectSync.updateMany({
    where: { id: options.syncId, checkRunState: { in: ["pending", "creating", "open"] } },
    data: { checkRunState: "skipped", checkRunAt: options.now },
  });
  return count === 1;
}

/** A sync's id and those of the attempts it re-runs (newest first): the `external_id`s its check run may carry. */
export async function findAttemptIds(db: Db, syncId: string): Promise<string[]> {
  const ids = [syncId];
  for (let hop = 0; hop < 8; hop += 1) {
    const row = await db.projectSync.findUnique({
      where: { id: ids.at(-1) },
      select: { retryOfSyncId: true },
    });
    if (!row?.retryOfSyncId) break;
    ids.push(row.retryOfSyncId);
  }
  return ids;
}
