import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { RedeliverResult } from "./redeliver-failed-deliveries.js";

export type RedeliveryTrigger = {
  /** scans now (start-up: what failed while the app was down) and every `intervalMs` */
  start(): void;
  stop(): Promise<void>;
  /** the database answered (true) or not (false): a scan follows its return */
  onDatabase(reachable: boolean): void;
  /** a scan soon (debounced); `notBefore`: unless one started after it already */
  request(notBefore?: Date): void;
};

export type CreateRedeliveryTriggerOptions = {
  scan: (options: { notBefore?: Date }) => Promise<RedeliverResult>;
  log: Logger;
  /** the periodic scan (default 10 min): deliveries GitHub failed for reasons the app never saw (network, proxy) */
  intervalMs?: number;
  /** how long after a request the scan runs (default 3 s): the database flapping back asks once */
  debounceMs?: number;
  /** the first wait before a scan that failed, or found another's scan running, is tried again (default 5 s, doubling) */
  retryMs?: number;
  /** the longest of those waits (default 5 min) */
  maxRetryMs?: number;
  /**
   * asks the database whether it answers (throws if not): once it was seen unreachable, it is asked every `probeMs`
   * until it answers, so its return is noticed even when no delivery or poll happens to touch it
   */
  probe?: () => Promise<unknown>;
  /** default 2 s */
  probeMs?: number;
};

/**
 * When to ask GitHub for the deliveries it could not bring: at start-up, when the database comes back after deliveries
 * were answered 503, and every `intervalMs`. One scan at a time in a process; the scan itself runs once across
 * processes (a lease), and one that hit its bounds is followed by another. A scan that failed (the database or GitHub
 * went away again), or that found another process's scan running (which may have begun before the outage), is tried
 * again with growing waits, keeping what it was asked for: the deliveries of an outage are never left to the next
 * periodic scan.
 */
export function createRedeliveryTrigger(options: CreateRedeliveryTriggerOptions): RedeliveryTrigger {
  const { debounceMs = 3_000, retryMs = 5_000, maxRetryMs = 5 * 60_000 } = options;
  let failures = 0;
  const probe = createDatabaseProbe(options, () => trigger.onDatabase(true));
  let interval: NodeJS.Timeout | undefined;
  let pending: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = true;
  let downSince: Date | null = null;
  let wanted: Date | undefined;

  const run = () => {
    pending = undefined;
    if (stopped) return;
    if (running) {
      request(wanted);
      return;
    }
    const notBefore = wanted;
    wanted = undefined;
    running = options
      .scan({ notBefore })
      .then((result) => {
        // another process's scan may have begun before the outage this scan was asked for
        if (result.skipped === "held" && notBefore) return retry(notBefore);
        failures = 0;
        if (result.truncated) request();
      })
      .catch((error: unknown) => {
        options.log.warn(`Looking for failed webhook deliveries failed: ${toAppError(error).message}`);
        retry(notBefore);
      })
      .finally(() => {
        running = null;
      });
  };

  const schedule = (delayMs: number) => {
    pending = setTimeout(run, delayMs).unref();
  };

  const wish = (notBefore: Date | undefined) => {
    // the strictest wish wins: a scan that began after every outage asked about
    if (notBefore && (!wanted || notBefore > wanted)) wanted = notBefore;
  };

  const request = (notBefore?: Date) => {
    if (stopped) return;
    wish(notBefore);
    if (!pending) schedule(debounceMs);
  };

  /** The same wish again, later: 5 s, 10 s, 20 s … up to `maxRetryMs`. */
  const retry = (notBefore: Date | undefined) => {
    if (stopped) return;
    wish(notBefore);
    const delayMs = Math.min(maxRetryMs, retryMs * 2 ** failures);
    failures += 1;
    if (!pending) schedule(delayMs);
  };

  const trigger: RedeliveryTrigger = {
    start() {
      if (!stopped) return;
      stopped = false;
      request();
      interval = setInterval(() => request(), options.intervalMs ?? 10 * 60_000);
      interval.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(interval);
      clearTimeout(pending);
      probe.stop();
      pending = undefined;
      await running;
    },
    onDatabase(reachable) {
      if (!reachable) {
        downSince ??= new Date();
        probe.soon();
        return;
      }
      if (!downSince) return;
      const since = downSince;
      downSince = null;
      options.log.info(
        "The database is back: asking GitHub for the deliveries it could not bring meanwhile.",
      );
      request(since);
    },
    request,
  };
  return trigger;
}

/** Asks `options.probe` every `probeMs` until the database answers, then calls `onBack` once; idle otherwise. */
function createDatabaseProbe(
  options: Pick<CreateRedeliveryTriggerOptions, "probe" | "probeMs">,
  onBack: () => void,
): { soon(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const soon = () => {
    if (timer || !options.probe) return;
    timer = setTimeout(async () => {
      try {
        await options.probe?.();
        timer = undefined;
        onBack();
      } catch {
        timer = undefined;
        soon();
      }
    }, options.probeMs ?? 2_000);
    timer.unref();
  };
  return {
    soon,
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
