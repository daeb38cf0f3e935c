import { z } from "zod";
import { EVENT_TYPES } from "../outbox/build-event-payload.js";
import { MAX_ENDPOINT_URL_LENGTH } from "../outbox/validate-endpoint-url.js";
import type { OutboxDeliveryView, WebhookEndpointView } from "../outbox/webhook-views.js";

// The outbound webhooks' inputs (strict) and answers, beside the rest of the API's in api-input-schemas.ts and
// api-response-schemas.ts.

const timestamp = z.iso.datetime({ offset: true });
const webhookId = z.uuid("is not a webhook id (a UUID)").meta({ description: "a webhook endpoint's id" });
const outboxDeliveryId = z.uuid("is not a delivery id (a UUID)").meta({ description: "a delivery's id" });

export const webhookParams = z.strictObject({ webhookId });
export const webhookDeliveryParams = z.strictObject({ webhookId, deliveryId: outboxDeliveryId });

export const registerWebhookBody = z.strictObject({
  url: z.string().min(1).max(MAX_ENDPOINT_URL_LENGTH).meta({
    description:
      "where events are POSTed: https, a public address (private ones and http only with WEBHOOK_ALLOW_PRIVATE_TARGETS=true)",
    example: "https://hooks.example.com/project-sync",
  }),
  repository: z
    .string()
    .min(3)
    .max(140)
    .optional()
    .meta({ description: "owner/name: only this repository's events (every repository's when absent)" }),
  description: z.string().max(500).optional().meta({ description: "a note for whoever reads the list" }),
});

export const listWebhookDeliveriesQuery = z.strictObject({
  limit: z.coerce
    .number("must be a whole number")
    .int("must be a whole number")
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "page size, 1 to 100 (default 20)" }),
  cursor: outboxDeliveryId.optional().meta({ description: "the previous page's nextCursor" }),
});

/** An endpoint, never with its secret. */
export const webhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    repository: z.string().nullable().meta({ description: "owner/name, or null: every repository" }),
    description: z.string().nullable(),
    enabled: z.boolean().meta({ description: "false once it failed for 5 days, until enabled by hand" }),
    disabledAt: timestamp.nullable(),
    disabledReason: z.string().nullable(),
    failingSince: timestamp
      .nullable()
      .meta({ description: "its first failed attempt since the last success" }),
    createdAt: timestamp,
  })
  .strict() satisfies z.ZodType<WebhookEndpointView>;

export const createdWebhookSchema = webhookSchema
  .extend({
    secret: z.string().meta({
      description:
        "whsec_…: verify signatures with it (any Standard Webhooks library). Shown only in this answer; it cannot be read again.",
    }),
  })
  .strict();

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) });

const attemptSchema = z
  .object({
    attempt: z.number().int().min(1),
    startedAt: timestamp,
    durationMs: z.number().int().min(0),
    statusCode: z.number().int().nullable(),
    succeeded: z.boolean(),
    error: z.string().nullable(),
    responseBody: z.string().nullable().meta({ description: "the first 1 KB of the endpoint's answer" }),
  })
  .strict();

/** One event's delivery to one endpoint with its newest attempts. */
export const webhookDeliverySchema = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    messageId: z.string().meta({ description: "the webhook-id header: the same on every attempt" }),
    type: z.enum(EVENT_TYPES),
    syncId: z.uuid(),
    status: z.enum(["pending", "sending", "succeeded", "failed"]),
    attempts: z
      .number()
      .int()
      .min(0)
      .meta({ description: "attempts since created or redelivered (8 at most)" }),
    nextAttemptAt: timestamp.nullable(),
    lastAttemptAt: timestamp.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: timestamp.nullable(),
    createdAt: timestamp,
    attemptLog: z.array(attemptSchema).meta({ description: "the newest 10 attempts, newest first" }),
  })
  .strict() satisfies z.ZodType<OutboxDeliveryView>;

export const webhookDeliveryListSchema = z.object({
  deliveries: z.array(webhookDeliverySchema),
  nextCursor: z.string().nullable(),
});
