import type { Db } from "../db/create-prisma-client.js";
import { DISABLE_AFTER_MS, nextAttemptAt } from "./retry-schedule.js";

export type OutboxAttemptResult = {
  deliveryId: string;
  endpointId: string;
  /** the attempt's number in the delivery's schedule (1 for the first) */
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
  /** a 2xx answer */
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
};

export type RecordedOutcome = "succeeded" | "retrying" | "failed";

/**
 * Records one attempt and moves the delivery on, in one transaction: delivered; or pending again at the next time of
 * the retry schedule; or `failed` after the last attempt. The endpoint's failure streak starts at its first failed
 * attempt and ends at any success; a streak of 5 days disables the endpoint (its deliveries wait until it is enabled).
 */
export async function recordOutboxAttempt(db: Db, result: OutboxAttemptResult): Promise<RecordedOutcome> {
  const now = result.finishedAt;
  const next = result.succeeded ? null : nextAttemptAt(result.attempt, now);
  const outcome: RecordedOutcome = result.succeeded ? "succeeded" : next ? "retrying" : "failed";
  await db.$transaction(async (tx) => {
    await tx.outboxAttempt.create({
      data: {
        deliveryId: result.deliveryId,
        attempt: result.attempt,
        startedAt: result.startedAt,
        durationMs: Math.max(0, now.getTime() - result.startedAt.getTime()),
        statusCode: result.statusCode,
        succeeded: result.succeeded,
        error: result.error,
        responseBody: result.responseBody,
      },
    });
    await tx.outboxDelivery.update({
      where: { id: result.deliveryId },
      data: {
        status: outcome === "retrying" ? "pending" : outcome,
        nextAttemptAt: next,
        claimedBy: null,
        lastAttemptAt: now,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        ...(result.succeeded ? { deliveredAt: now } : {}),
      },
    });
    if (result.succeeded) {
      await tx.webhookEndpoint.updateMany({
        where: { id: result.endpointId, failingSince: { not: null } },
        data: { failingSince: null },
      });
      return;
    }
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: result.endpointId } });
    if (!endpoint) return;
    const failingSince = endpoint.failingSince ?? now;
    const disable = !endpoint.disabledAt && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;
    await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: {
        failingSince,
        ...(disable
          ? {
              disabledAt: now,
              disabledReason: `Every attempt failed since ${failingSince.toISOString()} (5 days); enable it again once it answers.`,
            }
          : {}),
      },
    });
  });
  return outcome;
}
