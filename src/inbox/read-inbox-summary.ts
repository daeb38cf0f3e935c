import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";

/** How the inbox stands: deliveries to process, in progress, parked; the age of the oldest one waiting. */
export type InboxSummary = {
  pending: number;
  processing: number;
  parked: number;
  oldestPendingSeconds: number;
};

const rowSchema = z.object({
  pending: z.coerce.number(),
  processing: z.coerce.number(),
  parked: z.coerce.number(),
  oldest: z.coerce.number(),
});

/** Counts served by the partial "todo" index and the status index: processed rows are never scanned. */
export async function readInboxSummary(db: Db, now: Date = new Date()): Promise<InboxSummary> {
  const [row] = await db.$queryRaw<unknown[]>`
    SELECT
      (SELECT count(*) FROM "WebhookDelivery" WHERE status = 'pending') AS pending,
      (SELECT count(*) FROM "WebhookDelivery" WHERE status = 'processing') AS processing,
      (SELECT count(*) FROM "WebhookDelivery" WHERE status = 'parked') AS parked,
      COALESCE((SELECT ${now.getTime() / 1000}::float8 - EXTRACT(EPOCH FROM min("receivedAt"))
        FROM "WebhookDelivery" WHERE status IN ('pending', 'processing')), 0) AS oldest`;
  const counts = rowSchema.parse(row);
  return {
    pending: counts.pending,
    processing: counts.processing,
    parked: counts.parked,
    oldestPendingSeconds: Math.max(0, Math.round(counts.oldest * 1000) / 1000),
  };
}
