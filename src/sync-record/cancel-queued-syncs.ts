import type { Prisma, ProjectSync } from "../generated/prisma/client.js";

export type CancelQueuedSyncsOptions = {
  /** which syncs (only those still queued are cancelled) */
  where: Prisma.ProjectSyncWhereInput;
  now: Date;
  errorCode: string;
  error: string;
  /** the newer sync that replaces them (SUPERSEDED) */
  supersededById?: string;
  /**
   * what becomes of their check runs: "skip" — the app can no longer write them (uninstalled), every one is
   * `skipped`; "drop-pending" — superseded: one not created yet is not needed (the newer sync's shows), one on GitHub
   * is completed by the reporter; "keep" — left to the reporter as they are
   */
  checkRuns: "skip" | "drop-pending" | "keep";
};

/**
 * The one way a queued sync is cancelled without running: superseded by a newer request, its repository uninstalled,
 * its inline process gone, or refused because its branch is busy. Returns the syncs cancelled, oldest first.
 * @example await cancelQueuedSyncs(tx, { where: { id }, now, errorCode: "SYNC_IN_PROGRESS", error, checkRuns: "keep" })
 */
export async function cancelQueuedSyncs(
  db: Prisma.TransactionClient,
  options: CancelQueuedSyncsOptions,
): Promise<ProjectSync[]> {
  const where = { ...options.where, status: "queued" as const };
  const data = {
    status: "cancelled" as const,
    errorCode: options.errorCode,
    error: options.error,
    finishedAt: options.now,
    ...(options.supersededById === undefined ? {} : { supersededById: options.supersededById }),
  };
  const cancelled: ProjectSync[] = [];
  if (options.checkRuns === "skip") {
    cancelled.push(
      ...(await db.projectSync.updateManyAndReturn({
        where: { ...where, checkRunState: { not: null } },
        data: { ...data, checkRunState: "skipped" },
      })),
    );
  } else if (options.checkRuns === "drop-pending") {
    cancelled.push(
      ...(await db.projectSync.updateManyAndReturn({
        where: { ...where, checkRunState: "pending" },
        data: { ...data, checkRunState: null, checkRunRetryAt: null },
      })),
    );
  }
  cancelled.push(...(await db.projectSync.updateManyAndReturn({ where, data })));
  return cancelled.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
