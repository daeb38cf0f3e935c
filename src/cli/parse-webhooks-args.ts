import { AppError } from "../errors.js";
import { parseWebhookId } from "../service/find-webhook.js";
import { parseRepositoryName } from "../service/parse-repository-name.js";

/** `webhooks <action> …`: the outbound webhooks' endpoints and deliveries. */
export type WebhooksCommand = { name: "webhooks"; json: boolean } & (
  | { action: "add"; url: string; repository?: string; description?: string }
  | { action: "list" }
  | { action: "remove" | "enable"; endpointId: string }
  | { action: "deliveries"; endpointId: string; limit?: number }
  | { action: "redeliver"; endpointId: string; deliveryId: string }
);

type WebhooksValues = { repository?: string; description?: string; limit?: number };

// Each action's arguments and the options it takes.
const ACTIONS = {
  add: { arguments: ["<url>"], options: ["repository", "description"] },
  list: { arguments: [], options: [] },
  remove: { arguments: ["<webhook-id>"], options: [] },
  enable: { arguments: ["<webhook-id>"], options: [] },
  deliveries: { arguments: ["<webhook-id>"], options: ["limit"] },
  redeliver: { arguments: ["<webhook-id>", "<delivery-id>"], options: [] },
} as const satisfies Record<
  WebhooksCommand["action"],
  { arguments: string[]; options: (keyof WebhooksValues)[] }
>;

/**
 * The arguments after `webhooks` (its options already parsed) → the command. Every problem is a usage error.
 * @example parseWebhooksArgs(["add", "https://hooks.example.com/x"], { repository: "octo/hello" }, false)
 */
export function parseWebhooksArgs(rest: string[], values: WebhooksValues, json: boolean): WebhooksCommand {
  const [action, ...args] = rest;
  if (action === undefined || !Object.hasOwn(ACTIONS, action)) {
    throw usageError(
      `webhooks needs one of ${Object.keys(ACTIONS).join(", ")}${action === undefined ? "" : `; got "${action}"`}.`,
    );
  }
  const name = action as keyof typeof ACTIONS;
  const spec: { arguments: readonly string[]; options: readonly string[] } = ACTIONS[name];
  const stray = (Object.keys(values) as (keyof WebhooksValues)[]).filter(
    (option) => values[option] !== undefined && !spec.options.includes(option),
  );
  if (stray.length > 0) throw usageError(`webhooks ${name} does not take --${stray[0]}.`);
  if (args.length !== spec.arguments.length) {
    throw usageError(
      spec.arguments.length === 0
        ? `webhooks ${name} takes no argument.`
        : `webhooks ${name} needs ${spec.arguments.join(" ")}.`,
    );
  }
  const [first = "", second = ""] = args;
  switch (name) {
    case "add":
      return {
        name: "webhooks",
        json,
        action: name,
        url: first,
        repository: values.repository === undefined ? undefined : repositoryArgument(values.repository),
        description: values.description,
      };
    case "list":
      return { name: "webhooks", json, action: name };
    case "remove":
    case "enable":
      return { name: "webhooks", json, action: name, endpointId: parseWebhookId(first) };
    case "deliveries":
      return { name: "webhooks", json, action: name, endpointId: parseWebhookId(first), limit: values.limit };
    case "redeliver":
      return {
        name: "webhooks",
        json,
        action: name,
        endpointId: parseWebhookId(first),
        deliveryId: parseWebhookId(second, "delivery"),
      };
  }
}

function repositoryArgument(input: string): string {
  const { owner, name } = parseRepositoryName(input);
  return `${owner}/${name}`;
}

function usageError(message: string): AppError {
  return new AppError("BAD_INPUT", message);
}
