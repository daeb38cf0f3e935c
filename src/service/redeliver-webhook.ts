import { AppError } from "../errors.js";
import { notifyOutbox } from "../outbox/notify-outbox.js";
import { DELIVERY_VIEW_FIELDS, type OutboxDeliveryView, toDeliveryView } from "../outbox/webhook-views.js";
import { parseWebhookId } from "./find-webhook.js";
import type { ServiceDeps } from "./service-deps.js";

/**
 * Sends a delivery again now — failed, delivered or still waiting — with the same `webhook-id` and body, its retry
 * schedule started afresh. One being sent right now is left alone (409).
 */
export async function redeliverWebhook(
  deps: Pick<ServiceDeps, "db">,
  options: { endpointId: string; deliveryId: string },
): Promise<OutboxDeliveryView> {
  const where = {
    id: parseWebhookId(options.deliveryId, "delivery"),
    endpointId: parseWebhookId(options.endpointId),
  };
  const { count } = await deps.db.outboxDelivery.updateMany({
    where: { ...where, status: { not: "sending" } },
    data: { status: "pending", attempts: 0, nextAttemptAt: null, claimedBy: null },
  });
  const row = await deps.db.outboxDelivery.findFirst({ where, select: DELIVERY_VIEW_FIELDS });
  if (!row) {
    throw new AppError(
      "NOT_FOUND",
      `Webhook endpoint ${options.endpointId} has no delivery ${options.deliveryId}.`,
    );
  }
  if (count === 0) throw new AppError("CONFLICT", `Delivery ${options.deliveryId} is being sent right now.`);
  await notifyOutbox(deps.db);
  return toDeliveryView(row);
}
