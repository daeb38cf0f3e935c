import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";

export type SweptSync = {
  id: string;
  /** the sweep took the lease to create this sync's check run */
  leased: boolean;
  /** that lease was another process's, which never finished (it may have created the check run before it died) */
  takeover: boolean;
};

const FINISHED_GRACE_MS = 10_000;

const rowSchema = z.object({ id: z.string(), leased: z.boolean(), takeover: z.boolean() });

/**
 * The durable backstop's batch: syncs whose check run or comment reaction is not where the sync is, and that no
 * process has touched for a lease's time: a check run still to create (pending — a queued sync's only after
 * `queuedDelayMs` — or a creation lease that expired), an open check run of a sync finished more than 10 s ago, or of
 * a running one not written for a lease, and a finished `/sync` comment without its reaction. A check run waiting for GitHub's write
 * budget (`checkRunRetryAt`) is taken only once its time has come. Rows are taken with `FOR UPDATE SKIP LOCKED` and their checkRunAt set to now, which is a lease:
 * two processes sweeping at once never take the same sync, and the next sweep skips it for `leaseMs`.
 */
export async function takeSweepBatch(
  db: Db,
  options: { now: Date; leaseMs: number; limit?: number; queuedDelayMs?: number },
): Promise<SweptSync[]> {
  const cutoff = new Date(options.now.getTime() - options.leaseMs);
  // A finished sync's check run is completed within a second of its end by the process that ran it; one still open
  // after this grace was left by a process that died (completing it twice is harmless: the same PATCH).
  const finishedCutoff = new Date(options.now.getTime() - Math.min(options.leaseMs, FINISHED_GRACE_MS));
  const queuedCutoff = new Date(options.now.getTime() - (options.queuedDelayMs ?? 0));
  const rows = await db.$queryRaw<unknown[]>`
    WITH picked AS (
      SELECT id,
        COALESCE("headSha" IS NOT NULL AND ("checkRunState" = 'pending'
          OR ("checkRunState" = 'creating' AND "checkRunAt" < ${cutoff})), false) AS leased,
        COALESCE("checkRunState" = 'creating', false) AS takeover
      FROM "ProjectSync"
      WHERE ("headSha" IS NOT NULL AND ("checkRunRetryAt" IS NULL OR "checkRunRetryAt" <= ${options.now}) AND (
          ("checkRunState" = 'pending' AND (status <> 'queued' OR "createdAt" <= ${queuedCutoff}))
          OR ("checkRunState" = 'creating' AND "checkRunAt" < ${cutoff})
          OR ("checkRunState" = 'open' AND status IN ('succeeded', 'failed', 'cancelled')
              AND ("checkRunRetryAt" IS NOT NULL OR GREATEST("checkRunAt", "finishedAt") < ${finishedCutoff}))
          OR ("checkRunState" = 'open' AND status = 'running'
              AND COALESCE("checkRunAt", "startedAt", "createdAt") < ${cutoff})))
        OR ("commentId" IS NOT NULL AND "commentReactedAt" IS NULL AND status IN ('succeeded', 'failed', 'cancelled')
            AND GREATEST("checkRunAt", "finishedAt", "createdAt") < ${cutoff})
      ORDER BY "checkRunAt" ASC NULLS FIRST, "createdAt" ASC
      LIMIT ${options.limit ?? 50}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "ProjectSync" AS sync
    SET "checkRunAt" = ${options.now},
        "checkRunState" = CASE WHEN picked.leased THEN 'creating'::"CheckRunState" ELSE sync."checkRunState" END
    FROM picked
    WHERE sync.id = picked.id
    RETURNING sync.id::text AS id, picked.leased AS leased, picked.takeover AS takeover`;
  return rows.map((row) => rowSchema.parse(row));
}
