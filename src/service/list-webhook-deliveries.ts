import { AppError } from "../errors.js";
import { DELIVERY_VIEW_FIELDS, type OutboxDeliveryView, toDeliveryView } from "../outbox/webhook-views.js";
import { findWebhook, parseWebhookId } from "./find-webhook.js";
import type { ServiceDeps } from "./service-deps.js";

export type ListWebhookDeliveriesOptions = {
  /** default 20, at most 100 */
  limit?: number;
  /** the id of the last delivery of the previous page */
  cursor?: string;
};

/** An endpoint's deliveries, newest first, each with its newest attempts (status code, duration, error, answer). */
export async function listWebhookDeliveries(
  deps: Pick<ServiceDeps, "db">,
  endpointId: string,
  options: ListWebhookDeliveriesOptions = {},
): Promise<{ deliveries: OutboxDeliveryView[]; nextCursor: string | null }> {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new AppError("BAD_INPUT", "limit must be a whole number from 1 to 100.");
  }
  const endpoint = await findWebhook(deps, endpointId);
  let after = {};
  if (options.cursor) {
    const cursor = await deps.db.outboxDelivery.findFirst({
      where: { endpointId: endpoint.id, id: parseWebhookId(options.cursor, "delivery") },
      select: { createdAt: true, id: true },
    });
    if (!cursor) throw new AppError("BAD_INPUT", "cursor does not name a delivery of this endpoint.");
    after = {
      OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
    };
  }
  const rows = await deps.db.outboxDelivery.findMany({
    where: { endpointId: endpoint.id, ...after },
    select: DELIVERY_VIEW_FIELDS,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    deliveries: page.map(toDeliveryView),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
