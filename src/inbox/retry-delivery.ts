import type { Db } from "../db/create-prisma-client.js";
import { AppError } from "../errors.js";
import { DELIVERY_VIEW_FIELDS, type DeliveryView, toDeliveryView } from "./delivery-view.js";

/**
 * Queues a parked delivery (or one waiting for its next attempt) to be processed again now, with its attempts
 * counted afresh. A delivery being processed or already processed is left alone (409).
 */
export async function retryDelivery(db: Db, options: { id: string; now: Date }): Promise<DeliveryView> {
  const { count } = await db.webhookDelivery.updateMany({
    where: { id: options.id, status: { in: ["parked", "pending"] }, payload: { not: null } },
    data: { status: "pending", attempts: 0, runAfter: options.now, processedAt: null },
  });
  const row = await db.webhookDelivery.findUnique({
    where: { id: options.id },
    select: DELIVERY_VIEW_FIELDS,
  });
  if (!row) throw new AppError("NOT_FOUND", `No webhook delivery ${options.id} is stored.`);
  if (count === 0) {
    throw new AppError(
      "CONFLICT",
      `Delivery ${options.id} is ${row.status}; only a parked or pending delivery can be retried.`,
    );
  }
  return toDeliveryView(row);
}
