/**
 * Svix's retry schedule: the first attempt at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h — eight
 * attempts over about 28 hours. `RETRY_DELAYS_MS[n]` is the wait before attempt n + 1.
 */
export const RETRY_DELAYS_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
] as const;

/** Attempts a delivery gets before it is recorded `failed` (a redelivery by hand starts the schedule again). */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;

/** An endpoint that has failed every attempt for this long (since its last success) is disabled until enabled by hand. */
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

/** When attempt `attempts + 1` is due after attempt `attempts` failed at `now`; null when none is left. */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  const delay = RETRY_DELAYS_MS[attempts];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}
