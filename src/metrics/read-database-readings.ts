import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import type { DatabaseReadings } from "./app-metrics.js";

const rowSchema = z.object({
  pending: z.coerce.number(),
  processing: z.coerce.number(),
  parked: z.coerce.number(),
  oldestPending: z.coerce.number(),
  queued: z.coerce.number(),
  running: z.coerce.number(),
  oldestQueued: z.coerce.number(),
});

/**
 * The inbox and queue gauges in one round trip. Counts read the partial "todo" index and the status index; processed
 * deliveries and finished syncs (the bulk of both tables) are never scanned.
 */
export async function readDatabaseReadings(db: Db, now: Date = new Date()): Promise<DatabaseReadings> {
  // Epoch seconds compare the same whatever the session's time zone: EXTRACT(EPOCH) of a timestamptz is absolute, and
  // of a timestamp (Prisma's UTC wall-clock columns) is its nominal value, which is UTC.
  const at = now.getTime() / 1000;
  const [row] = await db.$queryRaw<unknown[]>`
    SELECT
      (SELECT count(*) FROM "WebhookDelivery" WHERE status = 'pending') AS pending,
      (SELECT count(*) FROM "WebhookDelivery" WHERE status = 'processing') AS processing,
      (SELECT count(*) FROM "WebhookDelivery" WHERE status = 'parked') AS parked,
      COALESCE((SELECT ${at}::float8 - EXTRACT(EPOCH FROM min("receivedAt"))
        FROM "WebhookDelivery" WHERE status IN ('pending', 'processing')), 0) AS "oldestPending",
      (SELECT count(*) FROM "ProjectSync" WHERE status = 'queued') AS queued,
      (SELECT count(*) FROM "ProjectSync" WHERE status = 'running') AS running,
      COALESCE((SELECT ${at}::float8 - EXTRACT(EPOCH FROM min("createdAt"))
        FROM "ProjectSync" WHERE status = 'queued' AND NOT inline
          AND ("runAfter" IS NULL OR EXTRACT(EPOCH FROM "runAfter") <= ${at}::float8)), 0) AS "oldestQueued"`;
  const reading = rowSchema.parse(row);
  return {
    inbox: {
      pending: reading.pending,
      processing: reading.processing,
      parked: reading.parked,
      oldestPendingSeconds: Math.max(0, reading.oldestPending),
    },
    queue: {
      queued: reading.queued,
      running: reading.running,
      oldestQueuedSeconds: Math.max(0, reading.oldestQueued),
    },
  };
}
