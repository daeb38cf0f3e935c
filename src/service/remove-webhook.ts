import { AppError } from "../errors.js";
import type { WebhookEndpointView } from "../outbox/webhook-views.js";
import { findWebhook } from "./find-webhook.js";
import type { ServiceDeps } from "./service-deps.js";

/** Removes an endpoint with its deliveries and their attempts; nothing more is sent to it. */
export async function removeWebhook(deps: Pick<ServiceDeps, "db">, id: string): Promise<WebhookEndpointView> {
  const endpoint = await findWebhook(deps, id);
  const { count } = await deps.db.webhookEndpoint.deleteMany({ where: { id: endpoint.id } });
  if (count === 0) throw new AppError("NOT_FOUND", `No webhook endpoint ${id} is registered.`);
  return endpoint;
}
