import type { Db } from "../db/create-prisma-client.js";
import { isUniqueViolation } from "../db/is-unique-violation.js";
import { AppError } from "../errors.js";
import type { ProjectSync, Repository } from "../generated/prisma/client.js";

/** A running sync whose heartbeat is older than this belongs to a process that died. */
export const STALE_AFTER_MS = 90_000;

export type ClaimedSync = ProjectSync & { repository: Repository };

/**
 * Moves a queued sync to running. A partial unique index allows one running sync per branch across all processes;
 * when another holds the branch, its heartbeat decides: alive → SYNC_IN_PROGRESS, dead → it is marked failed and
 * this one takes the branch.
 */
export async function claimSync(db: Db, syncId: string, now: () => Date): Promise<ClaimedSync> {
  const sync = await db.projectSync.findUnique({ where: { id: syncId }, include: { repository: true } });
  if (!sync) throw new AppError("SYNC_NOT_FOUND", `No sync with id ${syncId}.`);
  if (sync.status !== "queued") {
    throw new AppError("CONFLICT", `Sync ${syncId} is ${sync.status}; only a queued sync can be run.`);
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      const started = now();
      const { count } = await db.projectSync.updateMany({
        where: { id: syncId, status: "queued" },
        data: { status: "running", startedAt: started, heartbeatAt: started, phase: null },
      });
      if (count === 0) throw new AppError("CONFLICT", `Sync ${syncId} was taken by another process.`);
      return { ...sync, status: "running", startedAt: started, heartbeatAt: started };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt > 0) throw toInProgress(error, sync);
      await failIfStale(db, sync, now());
    }
  }
}

async function failIfStale(db: Db, sync: ProjectSync, now: Date): Promise<void> {
  const running = await db.projectSync.findFirst({
    where: { repositoryId: sync.repositoryId, branch: sync.branch, status: "running" },
  });
  if (!running) return;
  const lastSeen = running.heartbeatAt ?? running.startedAt ?? running.createdAt;
  if (now.getTime() - lastSeen.getTime() < STALE_AFTER_MS) {
    throw new AppError(
      "SYNC_IN_PROGRESS",
      `Sync ${running.id} of ${sync.branch} is already running; wait for it to finish.`,
      { retryable: true },
    );
  }
  await db.projectSync.updateMany({
    where: { id: running.id, status: "running" },
    data: {
      status: "failed",
      errorCode: "INTERNAL",
      error: `The process running this sync stopped responding (no heartbeat since ${lastSeen.toISOString()}).`,
      finishedAt: now,
    },
  });
}

function toInProgress(error: unknown, sync: ProjectSync): unknown {
  if (!isUniqueViolation(error)) return error;
  return new AppError("SYNC_IN_PROGRESS", `Another sync of ${sync.branch} is already running.`, {
    retryable: true,
  });
}
