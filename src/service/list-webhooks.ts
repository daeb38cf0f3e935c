import { ENDPOINT_VIEW_FIELDS, toEndpointView, type WebhookEndpointView } from "../outbox/webhook-views.js";
import { MAX_WEBHOOK_ENDPOINTS } from "./register-webhook.js";
import type { ServiceDeps } from "./service-deps.js";

/**
 * The registered endpoints, oldest first, without secrets (there are at most MAX_WEBHOOK_ENDPOINTS): every one, or
 * with `repositoryGithubIds` only those of these repositories (never the endpoints of every repository).
 */
export async function listWebhooks(
  deps: Pick<ServiceDeps, "db">,
  options: { repositoryGithubIds?: number[] } = {},
): Promise<{ webhooks: WebhookEndpointView[] }> {
  const ids = options.repositoryGithubIds;
  const rows = await deps.db.webhookEndpoint.findMany({
    where: ids ? { repository: { githubId: { in: ids.map((id) => BigInt(id)) } } } : {},
    select: ENDPOINT_VIEW_FIELDS,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: MAX_WEBHOOK_ENDPOINTS,
  });
  return { webhooks: rows.map(toEndpointView) };
}
