import type { Db } from "../db/create-prisma-client.js";
import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { buildEventPayload } from "./build-event-payload.js";
import type { ClaimedOutboxDelivery } from "./claim-outbox-deliveries.js";
import { type RecordedOutcome, recordOutboxAttempt } from "./record-outbox-attempt.js";
import { sendWebhook } from "./send-webhook.js";
import { signWebhook } from "./sign-webhook.js";
import type { EndpointTargetPolicy } from "./validate-endpoint-url.js";

export type DeliverOptions = EndpointTargetPolicy & {
  db: Db;
  log: Logger;
  now: () => Date;
  publicUrl?: string;
  /** one request's timeout (default 10 s) */
  timeoutMs?: number;
};

/** The `webhook-id` of an event: the same for every attempt and every endpoint, so receivers can drop repeats. */
export function messageIdOf(eventId: string): string {
  return `msg_${eventId}`;
}

/**
 * One attempt of one claimed delivery: the event's body (built and stored at its first delivery), signed now, POSTed,
 * and the outcome recorded. A 2xx answer is a success; any other status (a redirect too), a refused target, a network
 * error or a timeout is a failed attempt, retried on the schedule.
 */
export async function deliverOutboxDelivery(
  options: DeliverOptions,
  delivery: ClaimedOutboxDelivery,
): Promise<RecordedOutcome> {
  const startedAt = options.now();
  let statusCode: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  try {
    const body = delivery.payload ?? (await storePayload(options, delivery));
    const headers = signWebhook({
      secret: delivery.secret,
      messageId: messageIdOf(delivery.eventId),
      at: startedAt,
      body,
    });
    const response = await sendWebhook({ ...options, url: delivery.url, headers, body });
    statusCode = response.statusCode;
    responseBody = response.body;
    if (statusCode < 200 || statusCode > 299) error = `The endpoint answered ${statusCode}.`;
  } catch (thrown) {
    error = toAppError(thrown).message;
  }
  const outcome = await recordOutboxAttempt(options.db, {
    deliveryId: delivery.id,
    endpointId: delivery.endpointId,
    attempt: delivery.attempts,
    startedAt,
    finishedAt: options.now(),
    succeeded: error === null,
    statusCode,
    error,
    responseBody,
  });
  if (error) {
    options.log.warn(
      `Webhook ${delivery.type} to endpoint ${delivery.endpointId} (attempt ${delivery.attempts}): ${error}`,
    );
  }
  return outcome;
}

/** Builds the event's body once; whoever stores it first wins, and everyone sends those bytes. */
async function storePayload(options: DeliverOptions, delivery: ClaimedOutboxDelivery): Promise<string> {
  const payload = await buildEventPayload(options.db, {
    event: {
      id: delivery.eventId,
      type: delivery.type,
      syncId: delivery.syncId,
      createdAt: delivery.eventCreatedAt,
    },
    publicUrl: options.publicUrl,
  });
  await options.db.outboxEvent.updateMany({
    where: { id: delivery.eventId, payload: null },
    data: { payload },
  });
  const stored = await options.db.outboxEvent.findUnique({
    where: { id: delivery.eventId },
    select: { payload: true },
  });
  return stored?.payload ?? payload;
}
