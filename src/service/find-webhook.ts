import { z } from "zod";
import { AppError } from "../errors.js";
import { ENDPOINT_VIEW_FIELDS, toEndpointView, type WebhookEndpointView } from "../outbox/webhook-views.js";
import type { ServiceDeps } from "./service-deps.js";

const idSchema = z.uuid();

/** An endpoint or delivery id as typed by a user or sent in a URL; BAD_INPUT when it cannot be one. */
export function parseWebhookId(input: string, what = "webhook"): string {
  const parsed = idSchema.safeParse(input.trim().toLowerCase());
  if (!parsed.success) throw new AppError("BAD_INPUT", `"${input}" is not a ${what} id (a UUID).`);
  return parsed.data;
}

/**
 * The repository an endpoint covers, for access checks (`repository` null: every repository); NOT_FOUND when no such
 * endpoint is registered.
 */
export async function findWebhookScope(
  deps: Pick<ServiceDeps, "db">,
  id: string,
): Promise<{ repository: { githubId: bigint | null } | null }> {
  const row = await deps.db.webhookEndpoint.findUnique({
    where: { id: parseWebhookId(id) },
    select: { repository: { select: { githubId: true } } },
  });
  if (!row) throw new AppError("NOT_FOUND", `No webhook endpoint ${id} is registered.`);
  return row;
}

/** One registered endpoint (without its secret); NOT_FOUND otherwise. */
export async function findWebhook(deps: Pick<ServiceDeps, "db">, id: string): Promise<WebhookEndpointView> {
  const row = await deps.db.webhookEndpoint.findUnique({
    where: { id: parseWebhookId(id) },
    select: ENDPOINT_VIEW_FIELDS,
  });
  if (!row) throw new AppError("NOT_FOUND", `No webhook endpoint ${id} is registered.`);
  return toEndpointView(row);
}
