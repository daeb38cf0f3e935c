import { ENDPOINT_VIEW_FIELDS, toEndpointView, type WebhookEndpointView } from "../outbox/webhook-views.js";
import { MAX_WEBHOOK_ENDPOINTS } from "./register-webhook.js";
import type { ServiceDeps } from "./service-deps.js";

/** Every registered endpoint, oldest first, without secrets (there are at most MAX_WEBHOOK_ENDPOINTS). */
export async function listWebhooks(
  deps: Pick<ServiceDeps, "db">,
): Promise<{ webhooks: WebhookEndpointView[] }> {
  const rows = await deps.db.webhookEndpoint.findMany({
    select: ENDPOINT_VIEW_FIELDS,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: MAX_WEBHOOK_ENDPOINTS,
  });
  return { webhooks: rows.map(toEndpointView) };
}
