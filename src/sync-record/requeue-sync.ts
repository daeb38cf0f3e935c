import type { Prisma, ProjectSync } from "../generated/prisma/client.js";
import { lockBranchQueue } from "./lock-branch-queue.js";

export type RequeueSyncOptions = {
  /** the sync that ended (failed transiently, declared dead, or cancelled by a shutdown) */
  syncId: string;
  /** a retry counts as the next attempt; a sync cancelled by a shutdown keeps its attempt number */
  nextAttempt: boolean;
  runAfter: Date | null;
  now: Date;
  /** the sync's process is gone (killed, hung): a check-run creation it had under way will never finish */
  processGone?: boolean;
};

/**
 * Queues the same request again as a new sync (`retryOfSyncId` = the old one), inside the caller's transaction and
 * under the branch's queue lock. The check run and the `/sync` comment move to the new sync, so GitHub shows one
 * check run through every attempt. Returns null (nothing written) when the sync has not ended, was re-queued already,
 * or a newer queued sync of the branch exists (it covers this request).
 */
export async function requeueSync(
  tx: Prisma.TransactionClient,
  options: RequeueSyncOptions,
): Promise<ProjectSync | null> {
  const { now } = options;
  const found = await tx.projectSync.findUnique({
    where: { id: options.syncId },
    select: { repositoryId: true, branch: true },
  });
  if (!found) return null;
  await lockBranchQueue(tx, found.repositoryId, found.branch);
  await tx.$queryRaw`SELECT id FROM "ProjectSync" WHERE id = ${options.syncId}::uuid FOR UPDATE`;
  const sync = await tx.projectSync.findUnique({ where: { id: options.syncId } });
  if (!sync || (sync.status !== "failed" && sync.status !== "cancelled")) return null;
  const covered = await tx.projectSync.findFirst({
    where: {
      OR: [
        { repositoryId: sync.repositoryId, branch: sync.branch, status: "queued", inline: false },
        { retryOfSyncId: sync.id },
      ],
    },
    select: { id: true },
  });
  if (covered) return null;
  const orphaned = options.processGone === true && sync.checkRunState === "creating";
  const retry = await tx.projectSync.create({
    data: {
      repositoryId: sync.repositoryId,
      branch: sync.branch,
      trigger: sync.trigger,
      full: sync.full,
      headSha: sync.headSha,
      pushBefore: sync.pushBefore,
      deletesBranch: sync.deletesBranch,
      requestedBy: sync.requestedBy,
      restoredFromSyncId: sync.restoredFromSyncId,
      attempt: options.nextAttempt ? sync.attempt + 1 : sync.attempt,
      retryOfSyncId: sync.id,
      runAfter: options.runAfter,
      checkRunId: sync.checkRunId,
      // A creation under way moves with the lease: its process stores the check run on the re-run when it is done.
      // One whose process died can never finish: the re-run creates it — after looking for one the dead process may
      // have made before it could record it (see the reporter's adopt).
      checkRunState: orphaned ? "pending" : sync.checkRunState,
      checkRunAt: orphaned ? null : sync.checkRunAt,
      checkRunAdopt: orphaned || sync.checkRunAdopt,
      commentId: sync.commentId,
      createdAt: now,
    },
  });
  if (sync.checkRunState !== null || sync.commentId !== null) {
    await tx.projectSync.update({
      where: { id: sync.id },
      data: { checkRunId: null, checkRunState: null, checkRunAt: null, commentId: null },
    });
  }
  return retry;
}
