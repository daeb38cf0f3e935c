import type { ProjectSync } from "../generated/prisma/client.js";
import type { SyncEvent } from "../sync/sync-event.js";

/** A sync that failed transiently is run again until its attempt number reaches this. */
export const MAX_SYNC_ATTEMPTS = 4;

const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 10 * 60_000;
const JITTER = 0.2;

// Error codes whose cause may be gone a little later: GitHub or the database unavailable, a rate limit.
const RETRYABLE_CODES = new Set(["GITHUB_UNAVAILABLE", "GITHUB_RATE_LIMITED", "DATABASE_UNAVAILABLE"]);

/**
 * Whether a failed sync may succeed when run again: what its final event said, or (no event: the process lost it)
 * its error code; a finalize that found another sync finished first (CONFLICT "memory … changed") also qualifies.
 */
export function isRetryableFailure(
  sync: Pick<ProjectSync, "status" | "errorCode" | "error">,
  finalEvent?: SyncEvent,
): boolean {
  if (sync.status !== "failed") return false;
  if (finalEvent?.error) return finalEvent.error.retryable;
  if (sync.errorCode && RETRYABLE_CODES.has(sync.errorCode)) return true;
  return sync.errorCode === "CONFLICT" && /changed while this sync ran/.test(sync.error ?? "");
}

/**
 * When the retry of a sync that failed on attempt `attempt` may start: 30 s · 2^(attempt−1) ± 20 %, at most 10 min;
 * or when GitHub said its rate limit resets.
 * @example retryRunAfter({ attempt: 2, now, retryAt: null }) // now + 48…72 s
 */
export function retryRunAfter(options: {
  attempt: number;
  now: Date;
  retryAt: Date | null;
  random?: () => number;
}): Date {
  const { now, retryAt } = options;
  if (retryAt && retryAt.getTime() > now.getTime()) return retryAt;
  const random = options.random ?? Math.random;
  const base = BASE_DELAY_MS * 2 ** Math.max(0, options.attempt - 1);
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return new Date(now.getTime() + Math.min(MAX_DELAY_MS, Math.round(jittered)));
}
