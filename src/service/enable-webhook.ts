import { notifyOutbox } from "../outbox/notify-outbox.js";
import type { WebhookEndpointView } from "../outbox/webhook-views.js";
import { findWebhook } from "./find-webhook.js";
import type { ServiceDeps } from "./service-deps.js";

/**
 * Enables an endpoint again (after it was disabled for failing 5 days): its failure streak starts afresh, and the
 * deliveries that waited are sent now. Enabling an enabled endpoint changes nothing.
 */
export async function enableWebhook(deps: Pick<ServiceDeps, "db">, id: string): Promise<WebhookEndpointView> {
  const endpoint = await findWebhook(deps, id);
  if (endpoint.enabled) return endpoint;
  await deps.db.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: { disabledAt: null, disabledReason: null, failingSince: null },
  });
  await notifyOutbox(deps.db);
  return findWebhook(deps, endpoint.id);
}
