import type { Db } from "../db/create-prisma-client.js";

/**
 * Deletes processed deliveries older than the retention (they are kept that long so a late redelivery from GitHub —
 * it keeps deliveries for 3 days — is still recognised as a duplicate). Parked deliveries are never pruned: they wait
 * for someone to retry them. Deletes in batches so a large backlog never holds long locks. Returns how many went.
 */
export async function pruneDeliveries(
  db: Db,
  options: { now: Date; retentionMs: number; batchSize?: number },
): Promise<number> {
  const before = new Date(options.now.getTime() - options.retentionMs);
  const batchSize = options.batchSize ?? 5_000;
  let pruned = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM "WebhookDelivery" WHERE id IN (
        SELECT id FROM "WebhookDelivery"
        WHERE status = 'processed' AND "processedAt" < ${before}::timestamptz
        LIMIT ${batchSize})`;
    pruned += deleted;
    if (deleted < batchSize) return pruned;
  }
}
