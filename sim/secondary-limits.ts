import type { ResponseReply } from "./reply.js";
import type { SimulatorState } from "./simulator-state.js";

/** GitHub's secondary limits on content-creating requests; it documents 80 a minute and 500 an hour. */
export type SecondaryLimits = { perMinute: number; perHour: number };

/** Content-creating requests of one installation, to tell whether an app stayed under GitHub's secondary limits. */
export type ContentWriteCounts = {
  /** requests admitted (refused ones excluded) */
  total: number;
  /** the most admitted in any sliding 60-second window */
  maxPerMinute: number;
  /** the most admitted in any sliding 3,600-second window */
  maxPerHour: number;
  /** requests refused with the secondary-limit 403 */
  refused: number;
};

export type ContentWriteLog = ContentWriteCounts & {
  /** admission times (sim clock, ms) within the last hour */
  times: number[];
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Counts one content-creating request of an installation and returns true, or, when secondary limits are set and
 * the installation already made `perMinute` such requests in the last 60 s or `perHour` in the last hour, counts a
 * refusal and returns false (a refused request is not a write).
 */
export function admitContentWrite(sim: SimulatorState, installationId: number): boolean {
  const now = sim.now();
  let log = sim.contentWrites.get(installationId);
  if (!log) {
    log = { total: 0, maxPerMinute: 0, maxPerHour: 0, refused: 0, times: [] };
    sim.contentWrites.set(installationId, log);
  }
  log.times = log.times.filter((time) => time > now - HOUR_MS);
  const lastMinute = log.times.filter((time) => time > now - MINUTE_MS).length;
  const limits = sim.secondaryLimits;
  if (limits && (lastMinute >= limits.perMinute || log.times.length >= limits.perHour)) {
    log.refused += 1;
    return false;
  }
  log.times.push(now);
  log.total += 1;
  // The busiest window always ends at an admitted request, so checking the windows ending now finds the maximum.
  log.maxPerMinute = Math.max(log.maxPerMinute, lastMinute + 1);
  log.maxPerHour = Math.max(log.maxPerHour, log.times.length);
  return true;
}

/** The counts per installation id, as `sim.contentWrites()` reports them. */
export function contentWriteCounts(sim: SimulatorState): Record<number, ContentWriteCounts> {
  const counts: Record<number, ContentWriteCounts> = {};
  for (const [installationId, { total, maxPerMinute, maxPerHour, refused }] of sim.contentWrites) {
    counts[installationId] = { total, maxPerMinute, maxPerHour, refused };
  }
  return counts;
}

/**
 * GitHub's answer to a request over a secondary limit: 403 (or 429, which GitHub also sends) with its message and
 * documentation link, and no `retry-after` (GitHub often omits it; the primary-limit headers stay as they were, not 0).
 */
export function secondaryLimitRefusal(
  requestId: string,
  status: 403 | 429 = 403,
): ResponseReply & { json: unknown } {
  return {
    status,
    json: {
      message:
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
        `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
      documentation_url:
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    },
  };
}
