import type { Prisma } from "../generated/prisma/client.js";
import { messageIdOf } from "./deliver-outbox-delivery.js";

/** The fields an endpoint is shown with (never its secret). */
export const ENDPOINT_VIEW_FIELDS = {
  id: true,
  url: true,
  description: true,
  disabledAt: true,
  disabledReason: true,
  failingSince: true,
  createdAt: true,
  repository: { select: { owner: true, name: true } },
} satisfies Prisma.WebhookEndpointSelect;

type EndpointRow = Prisma.WebhookEndpointGetPayload<{ select: typeof ENDPOINT_VIEW_FIELDS }>;

/** An endpoint as the API, CLI and page show it. */
export type WebhookEndpointView = {
  id: string;
  url: string;
  /** "owner/name", or null: every repository */
  repository: string | null;
  description: string | null;
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  /** the first failed attempt since the last success */
  failingSince: string | null;
  createdAt: string;
};

export function toEndpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    repository: row.repository ? `${row.repository.owner}/${row.repository.name}` : null,
    description: row.description,
    enabled: row.disabledAt === null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** How many attempts a delivery is shown with (the newest). */
export const ATTEMPTS_SHOWN = 10;

export const DELIVERY_VIEW_FIELDS = {
  id: true,
  endpointId: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastAttemptAt: true,
  lastStatusCode: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
  event: { select: { id: true, type: true, syncId: true } },
  attemptLog: { orderBy: { id: "desc" }, take: ATTEMPTS_SHOWN },
} satisfies Prisma.OutboxDeliverySelect;

type DeliveryRow = Prisma.OutboxDeliveryGetPayload<{ select: typeof DELIVERY_VIEW_FIELDS }>;

export type OutboxAttemptView = {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  succeeded: boolean;
  error: string | null;
  /** the first 1 KB of the endpoint's answer */
  responseBody: string | null;
};

/** One event's delivery to one endpoint, with its newest attempts. */
export type OutboxDeliveryView = {
  id: string;
  endpointId: string;
  /** the `webhook-id` header: the same on every attempt */
  messageId: string;
  type: string;
  syncId: string;
  status: "pending" | "sending" | "succeeded" | "failed";
  /** attempts since created or redelivered */
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attemptLog: OutboxAttemptView[];
};

export function toDeliveryView(row: DeliveryRow): OutboxDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    messageId: messageIdOf(row.event.id),
    type: row.event.type,
    syncId: row.event.syncId,
    status: row.status as OutboxDeliveryView["status"],
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? (row.nextAttemptAt ?? row.createdAt).toISOString() : null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    attemptLog: row.attemptLog.map((attempt) => ({
      attempt: attempt.attempt,
      startedAt: attempt.startedAt.toISOString(),
      durationMs: attempt.durationMs,
      statusCode: attempt.statusCode,
      succeeded: attempt.succeeded,
      error: attempt.error,
      responseBody: attempt.responseBody,
    })),
  };
}
