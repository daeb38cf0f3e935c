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
   * `skipped`; "keep" — left to the reporter as they are (superseding, which drops the pending ones, is
   * `supersedeQueuedSyncs`)
   */
  checkRuns: "skip" | "keep";
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
  }
  cancelled.push(...(await db.projectSync.updateManyAndReturn({ where, data })));
  return cancelled.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * The branch's older queued syncs (all but `keep`; never inline ones) cancelled as SUPERSEDED by `sync`, in one
 * statement on every recorded push: a check run not created yet is not needed (the newer sync's shows), one on GitHub
 * is completed by the reporter. Returns them oldest first.
 */
export async function supersedeQueuedSyncs(
  db: Prisma.TransactionClient,
  options: {
    sync: Pick<ProjectSync, "id" | "repositoryId" | "branch">;
    keep: readonly string[];
    now: Date;
    error: string;
  },
): Promise<ProjectSync[]> {
  const { sync, now } = options;
  const rows = await db.$queryRaw<ProjectSync[]>`
    UPDATE "ProjectSync"
    SET status = 'cancelled', "errorCode" = 'SUPERSEDED', error = ${options.error}, "supersededById" = ${sync.id}::uuid,
      "finishedAt" = ${now},
      "checkRunState" = CASE WHEN "checkRunState" = 'pending' THEN NULL ELSE "checkRunState" END,
      "checkRunRetryAt" = CASE WHEN "checkRunState" = 'pending' THEN NULL ELSE "checkRunRetryAt" END,
      "updatedAt" = ${now}
    WHERE "repositoryId" = ${sync.repositoryId}::uuid AND branch = ${sync.branch} AND status = 'queued'
      AND NOT inline AND id <> ${sync.id}::uuid AND NOT (id::text = ANY(${[...options.keep]}::text[]))
    RETURNING *`;
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
