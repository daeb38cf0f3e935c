import { isAppError } from "../errors.js";

/** Attempts before a delivery that keeps failing is parked (about 3.5 hours of backoff). */
export const MAX_DELIVERY_ATTEMPTS = 8;

// Waits after attempt 1, 2, …: a database restart or a GitHub blip is over within the first minutes.
const BACKOFF_MS = [5_000, 15_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 2 * 60 * 60_000];

/** What becomes of a delivery whose handler threw. */
export type DeliveryFailure =
  /** try again after `delayMs` */
  | { kind: "retry"; delayMs: number }
  /** will never succeed as it is (its payload is not what the handler reads): park it with its error */
  | { kind: "park" }
  /** nothing to do, by design (the repository was uninstalled meanwhile): done, with the reason kept */
  | { kind: "done" };

/**
 * Decides after a failed attempt: a payload the handler cannot read, or bad input, is parked at once; a conflict
 * (the repository is no longer installed) needs nothing more; anything else — a lost database, GitHub 5xx or rate
 * limits, an unknown error — is retried with growing waits (±20 %), and parked after MAX_DELIVERY_ATTEMPTS.
 */
export function classifyDeliveryFailure(
  error: unknown,
  attempt: number,
  random: () => number = Math.random,
): DeliveryFailure {
  if (isPermanent(error)) return { kind: "park" };
  if (isAppError(error) && error.code === "CONFLICT") return { kind: "done" };
  if (attempt >= MAX_DELIVERY_ATTEMPTS) return { kind: "park" };
  const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0] ?? 5_000;
  const jitter = 0.8 + 0.4 * random();
  const retryAt = isAppError(error) ? error.retryAt : null;
  const untilReset = retryAt ? retryAt.getTime() - Date.now() : 0;
  return { kind: "retry", delayMs: Math.max(Math.round(base * jitter), untilReset) };
}

function isPermanent(error: unknown): boolean {
  if ((error as { name?: unknown } | null)?.name === "ZodError") return true;
  return (
    isAppError(error) && !error.retryable && (error.code === "BAD_INPUT" || error.code === "CONFIG_INVALID")
  );
}
