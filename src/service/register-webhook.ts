import { AppError } from "../errors.js";
import { type EndpointTargetPolicy, validateEndpointUrl } from "../outbox/validate-endpoint-url.js";
import { createWebhookSecret } from "../outbox/webhook-secret.js";
import { ENDPOINT_VIEW_FIELDS, toEndpointView, type WebhookEndpointView } from "../outbox/webhook-views.js";
import { findRepository } from "./find-repository.js";
import type { ServiceDeps } from "./service-deps.js";

/** Endpoints registered at most (every event is fanned out to each of them). */
export const MAX_WEBHOOK_ENDPOINTS = 100;

export type RegisterWebhookOptions = EndpointTargetPolicy & {
  url: string;
  /** "owner/name" of a repository memory knows; absent: every repository */
  repository?: string;
  description?: string;
};

/**
 * Registers an endpoint for the change feed with a new secret, returned here only (it cannot be read back). The
 * endpoint gets the events of syncs that end from now on.
 * @example const { id, secret } = await registerWebhook(deps, { url: "https://…", allowPrivateTargets: false });
 */
export async function registerWebhook(
  deps: Pick<ServiceDeps, "db">,
  options: RegisterWebhookOptions,
): Promise<WebhookEndpointView & { secret: string }> {
  const url = validateEndpointUrl(options.url, options);
  const repository = options.repository ? await findRepository(deps, options.repository) : null;
  if ((await deps.db.webhookEndpoint.count()) >= MAX_WEBHOOK_ENDPOINTS) {
    throw new AppError(
      "CONFLICT",
      `${MAX_WEBHOOK_ENDPOINTS} webhook endpoints are registered already; remove one first.`,
    );
  }
  const secret = createWebhookSecret();
  const row = await deps.db.webhookEndpoint.create({
    data: {
      url: url.toString(),
      repositoryId: repository?.id ?? null,
      description: options.description ?? null,
      secret,
    },
    select: ENDPOINT_VIEW_FIELDS,
  });
  return { ...toEndpointView(row), secret };
}
