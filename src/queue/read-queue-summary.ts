import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";

/** How the sync queue stands: syncs waiting, running, and how long the oldest one that may run has waited. */
export type QueueSummary = { queued: number; running: number; oldestQueuedSeconds: number };

const rowSchema = z.object({
  queued: z.coerce.number(),
  running: z.coerce.number(),
  oldest: z.coerce.number(),
});

/**
 * Counts from the status index. Ages compare epoch seconds: EXTRACT(EPOCH) of Prisma's UTC wall-clock `timestamp`
 * columns is their nominal value, which is UTC, whatever the session's time zone.
 */
export async function readQueueSummary(db: Db, now: Date = new Date()): Promise<QueueSummary> {
  const at = now.getTime() / 1000;
  const [row] = await db.$queryRaw<unknown[]>`
    SELECT
      (SELECT count(*) FROM "ProjectSync" WHERE status = 'queued') AS queued,
      (SELECT count(*) FROM "ProjectSync" WHERE status = 'running') AS running,
      COALESCE((SELECT ${at}::float8 - EXTRACT(EPOCH FROM min("createdAt"))
        FROM "ProjectSync" WHERE status = 'queued' AND NOT inline
          AND ("runAfter" IS NULL OR EXTRACT(EPOCH FROM "runAfter") <= ${at}::float8)), 0) AS oldest`;
  const counts = rowSchema.parse(row);
  return {
    queued: counts.queued,
    running: counts.running,
    oldestQueuedSeconds: Math.max(0, Math.round(counts.oldest * 1000) / 1000),
  };
}
