import type { Db } from "../db/create-prisma-client.js";
import { PRESENCE_LOCK_NAMESPACE } from "../db/create-process-presence.js";
import { Prisma } from "../generated/prisma/client.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { cancelQueuedSyncs } from "../sync-record/cancel-queued-syncs.js";
import { failDeadSync, heartbeatBefore, STALE_AFTER_MS } from "../sync-record/fail-dead-sync.js";
import { requeueSync } from "../sync-record/requeue-sync.js";
import { MAX_SYNC_ATTEMPTS } from "./retry-policy.js";

/**
 * The queue's durable checks, safe to run in every process at once: (1) a running sync whose process died is failed
 * and run again — at once when the process's presence lock is gone (killed, crashed), else once its heartbeat
 * stopped; (2) an inline sync (CLI) left queued by a process that died before running it is cancelled; (3) queued
 * syncs of repositories the app was uninstalled from are cancelled. Returns the ids of every sync it changed or
 * created. The transitions themselves are sync-record's.
 */
export async function sweepSyncs(deps: Pick<ServiceDeps, "db" | "now" | "log">): Promise<string[]> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - STALE_AFTER_MS);
  return [
    ...(await recoverOrphanedSyncs(deps.db, now)),
    ...(await recoverDeadSyncs(deps.db, now, cutoff)),
    ...(await cancelStaleInline(deps.db, now, cutoff)),
    ...(await cancelUninstalled(deps.db, now)),
  ];
}

/**
 * Running syncs whose process no longer holds its presence lock: it was killed or crashed (a live process holds the
 * lock on a connection of its own). Testing the lock inside a transaction takes it only until the transaction ends.
 */
async function recoverOrphanedSyncs(db: Db, now: Date): Promise<string[]> {
  const keys = await db.$queryRaw<{ workerKey: number }[]>`
    SELECT DISTINCT "workerKey" FROM "ProjectSync" WHERE status = 'running' AND "workerKey" IS NOT NULL`;
  const touched: string[] = [];
  for (const { workerKey } of keys) {
    const orphans = await db.$transaction(async (tx) => {
      const [free] = await tx.$queryRaw<{ free: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(${PRESENCE_LOCK_NAMESPACE}::int, ${workerKey}::int) AS free`;
      if (!free?.free) return [];
      return tx.projectSync.findMany({
        where: { status: "running", workerKey },
        select: { id: true, repositoryId: true, branch: true },
      });
    });
    for (const orphan of orphans) {
      touched.push(
        ...(await failAndRequeue(db, orphan, now, {
          stillDead: Prisma.sql`"workerKey" = ${workerKey}::int`,
          reason: () =>
            "The process running this sync stopped (its database session ended); it is run again.",
        })),
      );
    }
  }
  return touched;
}

async function recoverDeadSyncs(db: Db, now: Date, cutoff: Date): Promise<string[]> {
  const dead = await db.$queryRaw<{ id: string; repositoryId: string; branch: string }[]>`
    SELECT id, "repositoryId", branch FROM "ProjectSync"
    WHERE status = 'running' AND ${heartbeatBefore(cutoff)}`;
  const touched: string[] = [];
  for (const candidate of dead) {
    touched.push(
      ...(await failAndRequeue(db, candidate, now, {
        // the heartbeat may have come back meanwhile
        stillDead: heartbeatBefore(cutoff),
        reason: (lastSeen) =>
          `The process running this sync stopped responding (no heartbeat since ${lastSeen.toISOString()}); it is run again.`,
      })),
    );
  }
  return touched;
}

/** Fails a running sync whose process is gone and queues it again (once, even with several sweepers). */
async function failAndRequeue(
  db: Db,
  candidate: { id: string; repositoryId: string; branch: string },
  now: Date,
  check: { stillDead: Prisma.Sql; reason: (lastSeen: Date) => string },
): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const failed = await failDeadSync(tx, { sync: candidate, now, ...check });
    if (!failed) return [];
    if (failed.attempt >= MAX_SYNC_ATTEMPTS) return [candidate.id];
    const retry = await requeueSync(tx, {
      syncId: candidate.id,
      nextAttempt: true,
      runAfter: null,
      now,
      processGone: true,
    });
    return retry ? [candidate.id, retry.id] : [candidate.id];
  });
}

async function cancelStaleInline(db: Db, now: Date, cutoff: Date): Promise<string[]> {
  const cancelled = await cancelQueuedSyncs(db, {
    where: { inline: true, createdAt: { lt: cutoff } },
    now,
    errorCode: "INTERNAL",
    error: "The process that queued this sync stopped before running it; start the sync again.",
    checkRuns: "keep",
  });
  return cancelled.map((sync) => sync.id);
}

async function cancelUninstalled(db: Db, now: Date): Promise<string[]> {
  // a check run can no longer be written once the app is gone
  const cancelled = await cancelQueuedSyncs(db, {
    where: { repository: { active: false } },
    now,
    errorCode: "CONFLICT",
    error: "The app was uninstalled from this repository; the sync was not run.",
    checkRuns: "skip",
  });
  return cancelled.map((sync) => sync.id);
}
