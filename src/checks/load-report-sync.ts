import type { Db } from "../db/create-prisma-client.js";
import type { ProjectSync, Repository } from "../generated/prisma/client.js";
import type { SyncEvent } from "../sync/sync-event.js";
import { countsOf } from "../sync/sync-view.js";
import type { CheckRunSync } from "./check-run-sync.js";

/** A sync row with what reporting it needs: its repository (for the GitHub client) and its check-run view. */
export type ReportSync = {
  row: ProjectSync & { repository: Pick<Repository, "owner" | "name" | "installationId"> };
  view: CheckRunSync;
};

/**
 * Reads a sync for reporting (null when it is gone). The view shows the row; while the sync runs, a newer progress
 * event of it (phase, counts, progress) takes precedence, since the row is written less often.
 */
export async function loadReportSync(db: Db, syncId: string, event?: SyncEvent): Promise<ReportSync | null> {
  const row = await db.projectSync.findUnique({
    where: { id: syncId },
    include: { repository: { select: { owner: true, name: true, installationId: true } } },
  });
  if (!row) return null;
  const [supersededBy, previous] = await Promise.all([
    row.supersededById
      ? db.projectSync.findUnique({
          where: { id: row.supersededById },
          select: { id: true, headSha: true, deletesBranch: true },
        })
      : null,
    row.retryOfSyncId && row.status === "queued"
      ? db.projectSync.findUnique({
          where: { id: row.retryOfSyncId },
          select: { errorCode: true, error: true },
        })
      : null,
  ]);
  const live = event && row.status === "running" && event.status === "running" ? event : null;
  const view: CheckRunSync = {
    id: row.id,
    branch: row.branch,
    headSha: row.headSha,
    status: row.status,
    phase: live ? live.phase : row.phase,
    trigger: row.trigger,
    full: row.full,
    counts: live ? live.counts : countsOf(row),
    progress: live ? live.progress : null,
    error: row.errorCode ? { code: row.errorCode, message: row.error ?? "" } : null,
    attempt: row.attempt,
    runAfter: row.runAfter,
    retryOfSyncId: row.retryOfSyncId,
    previousError: previous?.errorCode ? { code: previous.errorCode, message: previous.error ?? "" } : null,
    previousSyncId: row.previousSyncId,
    baseSha: row.baseSha,
    baseSyncId: row.baseSyncId,
    restoredFromSyncId: row.restoredFromSyncId,
    generation: row.generation,
    githubRequests: row.githubRequests,
    filesFetched: row.filesFetched,
    bytesFetched: Number(row.bytesFetched),
    requestedBy: row.requestedBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    supersededBy: supersededBy ?? null,
  };
  return { row, view };
}
