import type { Db } from "../db/create-prisma-client.js";

/** Deliveries handled: processed, their payload dropped (the row stays until pruned, so a redelivery is known). */
export async function markDeliveriesProcessed(db: Db, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.webhookDelivery.updateMany({
    where: { id: { in: [...ids] }, status: "processing" },
    data: { status: "processed", processedAt: now, payload: null, errorCode: null, error: null },
  });
}

/** A failed attempt: tried again from `runAfter`, with its error shown meanwhile. */
export async function scheduleDeliveryRetry(
  db: Db,
  options: { id: string; runAfter: Date; code: string; message: string },
): Promise<void> {
  await db.webhookDelivery.updateMany({
    where: { id: options.id, status: "processing" },
    data: { status: "pending", runAfter: options.runAfter, errorCode: options.code, error: options.message },
  });
}

/** A delivery that will not succeed as it is: parked with its error (payload kept) until someone retries it. */
export async function parkDelivery(
  db: Db,
  options: { id: string; now: Date; code: string; message: string },
): Promise<void> {
  await db.webhookDelivery.updateMany({
    where: { id: options.id, status: "processing" },
    data: { status: "parked", processedAt: options.now, errorCode: options.code, error: options.message },
  });
}

/** A delivery with nothing left to do by design (e.g. for a repository uninstalled meanwhile): processed, reason kept. */
export async function markDeliveryMoot(
  db: Db,
  options: { id: string; now: Date; code: string; message: string },
): Promise<void> {
  await db.webhookDelivery.updateMany({
    where: { id: options.id, status: "processing" },
    data: {
      status: "processed",
      processedAt: options.now,
      payload: null,
      errorCode: options.code,
      error: options.message,
    },
  });
}

/** Deliveries taken but never started (the process is stopping): back to the inbox as they were, due now. */
export async function releaseDeliveries(db: Db, ids: readonly string[]): Promise<void> {
  await db.$executeRaw`
    UPDATE "WebhookDelivery"
    SET status = 'pending', attempts = GREATEST(attempts - 1, 0), "claimedBy" = NULL, "runAfter" = now()
    WHERE id = ANY(${[...ids]}::text[]) AND status = 'processing'`;
}
