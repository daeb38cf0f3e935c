import type { Db } from "../db/create-prisma-client.js";
import { isUniqueViolation } from "../db/is-unique-violation.js";
import { AppError } from "../errors.js";
import type { ProjectSync, Repository } from "../generated/prisma/client.js";
import { failDeadSync, heartbeatBefore, STALE_AFTER_MS } from "./fail-dead-sync.js";

export type ClaimedSync = ProjectSync & { repository: Repository };

/** Which queued sync to move to running. */
export type ClaimRequest =
  /** a queue worker: the oldest queued sync that may run now; `workerKey` is its process's presence key */
  | { now: () => Date; workerKey: number | null }
  /** the process that queued an inline sync (CLI) runs that one, now or not at all */
  | { now: () => Date; syncId: string };

// A unique violation means another process claimed a sync of the same branch at the same moment: look again.
const CLAIM_TRIES = 3;

/**
 * The one way a sync starts: queued → running, with its start, heartbeat and claiming process recorded. The partial
 * unique index "ProjectSync_one_running_branch" is the guard across processes.
 *
 * A worker gets the oldest eligible sync (not inline, not before `runAfter`, repository installed, branch not running;
 * other workers skip the row it locks), or null when none is. A given sync (`syncId`) is claimed or refused: unknown
 * → SYNC_NOT_FOUND, not queued → CONFLICT, its branch running → SYNC_IN_PROGRESS — unless the running sync's process
 * is dead (no heartbeat for STALE_AFTER_MS): it is failed and this one takes the branch.
 * @example const claimed = await claimSync(db, { now, workerKey: presence.key }); // null: nothing to do
 */
export async function claimSync(db: Db, request: { now: () => Date; syncId: string }): Promise<ClaimedSync>;
export async function claimSync(
  db: Db,
  request: { now: () => Date; workerKey: number | null },
): Promise<ClaimedSync | null>;
export async function claimSync(db: Db, request: ClaimRequest): Promise<ClaimedSync | null> {
  return "syncId" in request ? claimGiven(db, request.syncId, request.now) : claimNext(db, request);
}

async function claimNext(db: Db, request: { now: () => Date; workerKey: number | null }) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(async (tx) => {
        const at = request.now();
        const rows = await tx.$queryRaw<{ id: string }[]>`
          SELECT s.id FROM "ProjectSync" AS s
          JOIN "Repository" AS r ON r.id = s."repositoryId"
          WHERE s.status = 'queued' AND NOT s.inline AND r.active
            AND (s."runAfter" IS NULL OR s."runAfter" <= ${at})
            AND NOT EXISTS (
              SELECT 1 FROM "ProjectSync" AS x
              WHERE x."repositoryId" = s."repositoryId" AND x.branch = s.branch AND x.status = 'running'
            )
          ORDER BY s."createdAt", s.id
          LIMIT 1
          FOR UPDATE OF s SKIP LOCKED`;
        const id = rows[0]?.id;
        if (!id) return null;
        return tx.projectSync.update({
          where: { id },
          data: running(at, request.workerKey),
          include: { repository: true },
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (attempt >= CLAIM_TRIES) return null;
    }
  }
}

async function claimGiven(db: Db, syncId: string, now: () => Date): Promise<ClaimedSync> {
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
        data: running(started, null),
      });
      if (count === 0) throw new AppError("CONFLICT", `Sync ${syncId} was taken by another process.`);
      return { ...sync, status: "running", startedAt: started, heartbeatAt: started };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt > 0) throw toInProgress(error, sync);
      await takeOverDeadBranch(db, sync, now());
    }
  }
}

function running(at: Date, workerKey: number | null) {
  return { status: "running", startedAt: at, heartbeatAt: at, phase: null, workerKey } as const;
}

/** The branch's running sync: SYNC_IN_PROGRESS while its process lives, failed once it is dead. */
async function takeOverDeadBranch(db: Db, sync: ProjectSync, now: Date): Promise<void> {
  const holder = await db.projectSync.findFirst({
    where: { repositoryId: sync.repositoryId, branch: sync.branch, status: "running" },
  });
  if (!holder) return;
  const failed = await db.$transaction((tx) =>
    failDeadSync(tx, {
      sync: holder,
      now,
      stillDead: heartbeatBefore(new Date(now.getTime() - STALE_AFTER_MS)),
      reason: (lastSeen) =>
        `The process running this sync stopped responding (no heartbeat since ${lastSeen.toISOString()}).`,
    }),
  );
  if (!failed) {
    throw new AppError(
      "SYNC_IN_PROGRESS",
      `Sync ${holder.id} of ${sync.branch} is already running; wait for it to finish.`,
      { retryable: true },
    );
  }
}

function toInProgress(error: unknown, sync: ProjectSync): unknown {
  if (!isUniqueViolation(error)) return error;
  return new AppError("SYNC_IN_PROGRESS", `Another sync of ${sync.branch} is already running.`, {
    retryable: true,
  });
}
