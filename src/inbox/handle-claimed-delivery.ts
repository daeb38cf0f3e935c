import type { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { AppError, toAppError } from "../errors.js";
import { formatZodIssues } from "../format-zod-issues.js";
import type { Logger } from "../logger.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import type { ClaimedDelivery } from "./claim-deliveries.js";
import type { DeliveryHandler } from "./create-inbox-processor.js";
import { classifyDeliveryFailure, MAX_DELIVERY_ATTEMPTS } from "./delivery-retry-policy.js";
import { markDeliveryMoot, parkDelivery, scheduleDeliveryRetry } from "./settle-deliveries.js";

export type HandleClaimedDeliveryDeps = {
  db: Db;
  handle: DeliveryHandler;
  log: Logger;
  now: () => Date;
  metrics?: AppMetrics;
  /** jitter of retry delays (tests) */
  random?: () => number;
};

/**
 * Runs one claimed delivery through the handlers. Resolves to true when it was processed (the caller marks it, in a
 * batch); a delivery that cannot run (no payload, not JSON, too many attempts) or whose handler failed is settled here
 * — parked, retried later, or done with nothing to do. Throws when settling failed (the lease runs out).
 */
export async function handleClaimedDelivery(
  deps: HandleClaimedDeliveryDeps,
  delivery: ClaimedDelivery,
): Promise<boolean> {
  const { db, now, metrics } = deps;
  if (delivery.payload === null || delivery.attempts > MAX_DELIVERY_ATTEMPTS) {
    const message =
      delivery.payload === null
        ? "The stored delivery has no payload."
        : `Processing never finished in ${MAX_DELIVERY_ATTEMPTS} attempts (did the process die while handling it?).`;
    metrics?.inboxHandled.inc({ event: delivery.event, result: "parked" });
    await parkDelivery(db, { id: delivery.id, now: now(), code: "INTERNAL", message });
    return false;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.payload);
  } catch {
    metrics?.inboxHandled.inc({ event: delivery.event, result: "parked" });
    await parkDelivery(db, {
      id: delivery.id,
      now: now(),
      code: "BAD_INPUT",
      message: "The stored payload is not JSON.",
    });
    return false;
  }
  try {
    await deps.handle({ id: delivery.id, name: delivery.event, payload });
  } catch (error) {
    await settleFailure(deps, delivery, error);
    return false;
  }
  metrics?.inboxHandled.inc({ event: delivery.event, result: "processed" });
  return true;
}

/** A handler failed: nothing to do after all, parked with its error, or retried later with backoff. */
async function settleFailure(
  deps: HandleClaimedDeliveryDeps,
  delivery: ClaimedDelivery,
  thrown: unknown,
): Promise<void> {
  const { db, log, metrics } = deps;
  const error = unwrap(thrown);
  const appError = describeFailure(error);
  const decision = classifyDeliveryFailure(error, delivery.attempts, deps.random);
  const message = appError.message.slice(0, 2_000);
  const at = deps.now();
  if (decision.kind === "done") {
    log.info(`Delivery ${delivery.id} (${delivery.event}): nothing to do (${message})`);
    metrics?.inboxHandled.inc({ event: delivery.event, result: "processed" });
    await markDeliveryMoot(db, { id: delivery.id, now: at, code: appError.code, message });
    return;
  }
  if (decision.kind === "park") {
    log.error(
      `Delivery ${delivery.id} (${delivery.event}) parked after attempt ${delivery.attempts}: ${message}`,
    );
    metrics?.inboxHandled.inc({ event: delivery.event, result: "parked" });
    await parkDelivery(db, { id: delivery.id, now: at, code: appError.code, message });
    return;
  }
  log.warn(
    `Delivery ${delivery.id} (${delivery.event}) failed (attempt ${delivery.attempts}), retrying in ${Math.round(decision.delayMs / 1000)} s: ${message}`,
  );
  metrics?.inboxHandled.inc({ event: delivery.event, result: "retried" });
  await scheduleDeliveryRetry(db, {
    id: delivery.id,
    runAfter: new Date(at.getTime() + decision.delayMs),
    code: appError.code,
    message,
  });
}

/** A handler's failure as an AppError; a payload the handler's schema refused is bad input, named by its first issue. */
function describeFailure(error: unknown): AppError {
  if ((error as { name?: unknown } | null)?.name === "ZodError") {
    const issues = (error as { issues?: z.core.$ZodIssue[] }).issues ?? [];
    const problem = formatZodIssues(issues, { limit: 1, subject: (path) => path || "payload" });
    return new AppError("BAD_INPUT", `The payload is not what its handler reads: ${problem}`);
  }
  return toAppError(error);
}

/** Probot's receive rejects with an AggregateError of what the handlers threw: the first is the one to act on. */
function unwrap(error: unknown): unknown {
  const errors = (error as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? errors[0] : error;
}
