import type { Db } from "../db/create-prisma-client.js";
import { AppError } from "../errors.js";
import type { DeliveryStatus } from "../generated/prisma/client.js";
import { DELIVERY_VIEW_FIELDS, type DeliveryView, toDeliveryView } from "./delivery-view.js";

export type ListDeliveriesOptions = {
  /** every status when absent */
  status?: DeliveryStatus;
  /** default 50, at most 500 */
  limit?: number;
  /** the id of the last delivery of the previous page */
  cursor?: string;
};

/** Stored webhook deliveries, newest first (parked ones are what needs attention). */
export async function listDeliveries(
  db: Db,
  options: ListDeliveriesOptions = {},
): Promise<{ deliveries: DeliveryView[]; nextCursor: string | null }> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new AppError("BAD_INPUT", "limit must be a whole number from 1 to 500.");
  }
  const where = options.status ? { status: options.status } : {};
  let after = {};
  if (options.cursor) {
    const cursor = await db.webhookDelivery.findFirst({
      where: { ...where, id: options.cursor },
      select: { receivedAt: true, id: true },
    });
    if (!cursor) throw new AppError("BAD_INPUT", "cursor does not name a delivery of this listing.");
    after = {
      OR: [
        { receivedAt: { lt: cursor.receivedAt } },
        { receivedAt: cursor.receivedAt, id: { lt: cursor.id } },
      ],
    };
  }
  const rows = await db.webhookDelivery.findMany({
    where: { ...where, ...after },
    select: DELIVERY_VIEW_FIELDS,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    deliveries: page.map(toDeliveryView),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** One stored delivery. */
export async function getDelivery(db: Db, id: string): Promise<DeliveryView> {
  const row = await db.webhookDelivery.findUnique({ where: { id }, select: DELIVERY_VIEW_FIELDS });
  if (!row)
    throw new AppError(
      "NOT_FOUND",
      `No webhook delivery ${id} is stored (processed ones are pruned after their retention).`,
    );
  return toDeliveryView(row);
}
