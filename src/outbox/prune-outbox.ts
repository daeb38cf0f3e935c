import type { Db } from "../db/create-prisma-client.js";

/** Delivered (or given up) events are kept this long for the API, CLI and page, then deleted with their attempts. */
export const OUTBOX_RETENTION_MS = 30 * 24 * 3_600_000;
// Rows deleted per statement, so a large backlog never holds locks for long.
const BATCH = 1_000;

/**
 * Deletes events older than `before` that no delivery still waits for (their deliveries and attempts go with them).
 * Returns how many events it deleted.
 */
export async function pruneOutbox(db: Db, options: { before: Date }): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM "OutboxEvent" WHERE id IN (
        SELECT e.id FROM "OutboxEvent" e
        WHERE e."createdAt" < ${options.before}::timestamptz
          AND NOT EXISTS (
            SELECT 1 FROM "OutboxDelivery" d WHERE d."eventId" = e.id AND d.status IN ('pending', 'sending'))
        ORDER BY e."createdAt"
        LIMIT ${BATCH})`;
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
