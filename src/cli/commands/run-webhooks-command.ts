import type { OutboxDeliveryView, WebhookEndpointView } from "../../outbox/webhook-views.js";
import { enableWebhook } from "../../service/enable-webhook.js";
import { listWebhookDeliveries } from "../../service/list-webhook-deliveries.js";
import { listWebhooks } from "../../service/list-webhooks.js";
import { redeliverWebhook } from "../../service/redeliver-webhook.js";
import { registerWebhook } from "../../service/register-webhook.js";
import { removeWebhook } from "../../service/remove-webhook.js";
import { formatTable, formatTime, printable } from "../format-text.js";
import type { WebhooksCommand } from "../parse-webhooks-args.js";
import type { CommandContext } from "./command-context.js";

/**
 * `webhooks add|list|remove|enable|deliveries|redeliver`: the outbound webhooks over the same services as the REST API.
 * `add` prints the endpoint's secret, the only time it can be seen.
 */
export async function runWebhooksCommand(
  context: CommandContext,
  command: WebhooksCommand,
  options: { allowPrivateTargets: boolean },
): Promise<number> {
  const { deps } = context;
  switch (command.action) {
    case "add": {
      const endpoint = await registerWebhook(deps, { ...command, ...options });
      return print(
        context,
        endpoint,
        `Webhook ${endpoint.id} registered for ${endpoint.repository ?? "every repository"}: ${printable(endpoint.url)}\n` +
          `Secret (shown only now; verify signatures with any Standard Webhooks library):\n${endpoint.secret}\n`,
      );
    }
    case "list": {
      const { webhooks } = await listWebhooks(deps);
      return print(context, { webhooks }, formatEndpoints(webhooks));
    }
    case "remove": {
      const endpoint = await removeWebhook(deps, command.endpointId);
      return print(context, endpoint, `Webhook ${endpoint.id} removed (${printable(endpoint.url)}).\n`);
    }
    case "enable": {
      const endpoint = await enableWebhook(deps, command.endpointId);
      return print(
        context,
        endpoint,
        `Webhook ${endpoint.id} is enabled; deliveries that waited are sent now.\n`,
      );
    }
    case "deliveries": {
      const page = await listWebhookDeliveries(deps, command.endpointId, {
        limit: Math.min(command.limit ?? 20, 100),
      });
      return print(context, page, formatDeliveries(page.deliveries));
    }
    case "redeliver": {
      const delivery = await redeliverWebhook(deps, command);
      return print(context, delivery, `Delivery ${delivery.id} (${delivery.type}) is sent again shortly.\n`);
    }
  }
}

async function print(context: CommandContext, json: unknown, text: string): Promise<number> {
  await context.out.write(context.json ? `${JSON.stringify(json, null, 2)}\n` : text);
  return 0;
}

function formatEndpoints(webhooks: WebhookEndpointView[]): string {
  if (webhooks.length === 0)
    return "No webhook endpoints are registered (add one with: webhooks add <url>).\n";
  const rows = webhooks.map((endpoint) => [
    endpoint.id,
    endpoint.repository ?? "(all)",
    endpoint.enabled ? (endpoint.failingSince ? "failing" : "enabled") : "DISABLED",
    printable(endpoint.url).slice(0, 80),
  ]);
  return formatTable([["ID", "REPOSITORY", "STATE", "URL"], ...rows]);
}

function formatDeliveries(deliveries: OutboxDeliveryView[]): string {
  if (deliveries.length === 0) return "No deliveries yet.\n";
  const rows = deliveries.map((delivery) => [
    delivery.id,
    formatTime(delivery.createdAt),
    delivery.type,
    delivery.status,
    String(delivery.attempts),
    delivery.lastStatusCode === null ? "" : String(delivery.lastStatusCode),
    delivery.status === "succeeded" ? "" : printable(delivery.lastError ?? "").slice(0, 60),
  ]);
  return formatTable([["ID", "CREATED", "EVENT", "STATUS", "ATTEMPTS", "LAST", "ERROR"], ...rows]);
}
