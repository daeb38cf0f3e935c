import type { Db } from "../db/create-prisma-client.js";
import { AppError, toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import { type ClaimedDelivery, claimDeliveries } from "./claim-deliveries.js";
import { classifyDeliveryFailure, MAX_DELIVERY_ATTEMPTS } from "./delivery-retry-policy.js";
import {
  markDeliveriesProcessed,
  markDeliveryMoot,
  parkDelivery,
  releaseDeliveries,
  scheduleDeliveryRetry,
} from "./settle-deliveries.js";

/** Runs one stored delivery through the app's handlers (Probot's `receive`); throws what a handler threw. */
export type DeliveryHandler = (delivery: { id: string; name: string; payload: unknown }) => Promise<void>;

export type CreateInboxProcessorOptions = {
  db: Db;
  handle: DeliveryHandler;
  log: Logger;
  now?: () => Date;
  metrics?: AppMetrics;
  /** deliveries handled at once across partitions (default 8); one partition's deliveries go one at a time, in order */
  concurrency?: number;
  /** deliveries taken but not finished, at most (default 200) */
  maxInFlight?: number;
  /** how often an idle processor looks for work stored by other processes (default 500 ms) */
  pollIntervalMs?: number;
  /** a taken delivery not finished within this is taken again by anyone (default 2 min) */
  leaseMs?: number;
  /** this process's presence: a delivery taken by a process that died is taken again at once, not after the lease */
  presence?: { readonly key: number };
  /** whether the database answered: the app redelivers what GitHub could not deliver once it is back */
  onDatabase?: (reachable: boolean) => void;
  /** jitter of retry delays (tests) */
  random?: () => number;
};

export type InboxProcessor = {
  start(): void;
  /** look for work now (a delivery was stored by this process) */
  wake(): void;
  /** stops taking deliveries; resolves when those taken have finished (unfinished ones are taken again later) */
  stop(): Promise<void>;
  /** resolves when nothing due is left and nothing is in flight (tests) */
  runUntilIdle(): Promise<void>;
  /** started and not stopped (readiness) */
  isRunning(): boolean;
};

// A database back after an outage is noticed within this (and the deliveries GitHub failed are then asked again).
const MAX_BACKOFF_MS = 10_000;

/**
 * Processes the inbox: takes due deliveries (oldest first, SKIP LOCKED across processes), runs each through the
 * handlers, and settles it — processed, retried later with backoff, or parked with its error. Deliveries of one
 * partition (a push's repository and ref; other events' repository or installation) run one after another in the order
 * GitHub sent them; partitions run side by side. A database outage is waited out with backoff.
 * @example const inbox = createInboxProcessor({ db, handle: (d) => probot.receive(d), log }); inbox.start();
 */
export function createInboxProcessor(options: CreateInboxProcessorOptions): InboxProcessor {
  const { db, log } = options;
  const now = options.now ?? (() => new Date());
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const maxInFlight = Math.max(1, options.maxInFlight ?? 200);
  const leaseMs = options.leaseMs ?? 120_000;
  const inFlight = new Set<string>();
  const partitions = new Map<string, Promise<void>>();
  const waiting: (() => void)[] = [];
  let running = 0;
  let done: string[] = [];
  const unstarted: string[] = [];
  let flushing: Promise<void> | null = null;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let pausedUntil = 0;

  const slot = async (): Promise<void> => {
    if (running < concurrency) {
      running += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  const flush = (): Promise<void> => {
    if (flushing) return flushing;
    flushing = (async () => {
      while (done.length > 0) {
        const ids = done;
        done = [];
        try {
          await markDeliveriesProcessed(db, ids, now());
        } catch (error) {
          // their effects are recorded; the lease runs out and they are taken again, which changes nothing
          log.warn(`Marking ${ids.length} deliveries processed failed: ${toAppError(error).message}`);
        }
      }
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  const settleFailure = async (delivery: ClaimedDelivery, thrown: unknown): Promise<void> => {
    const error = unwrap(thrown);
    const appError = describeFailure(error);
    const decision = classifyDeliveryFailure(error, delivery.attempts, options.random);
    const message = appError.message.slice(0, 2_000);
    const at = now();
    if (decision.kind === "done") {
      log.info(`Delivery ${delivery.id} (${delivery.event}): nothing to do (${message})`);
      options.metrics?.inboxHandled.inc({ event: delivery.event, result: "processed" });
      await markDeliveryMoot(db, { id: delivery.id, now: at, code: appError.code, message });
      return;
    }
    if (decision.kind === "park") {
      log.error(
        `Delivery ${delivery.id} (${delivery.event}) parked after attempt ${delivery.attempts}: ${message}`,
      );
      options.metrics?.inboxHandled.inc({ event: delivery.event, result: "parked" });
      await parkDelivery(db, { id: delivery.id, now: at, code: appError.code, message });
      return;
    }
    log.warn(
      `Delivery ${delivery.id} (${delivery.event}) failed (attempt ${delivery.attempts}), retrying in ${Math.round(decision.delayMs / 1000)} s: ${message}`,
    );
    options.metrics?.inboxHandled.inc({ event: delivery.event, result: "retried" });
    await scheduleDeliveryRetry(db, {
      id: delivery.id,
      runAfter: new Date(at.getTime() + decision.delayMs),
      code: appError.code,
      message,
    });
  };

  const handle = async (delivery: ClaimedDelivery): Promise<void> => {
    if (delivery.payload === null || delivery.attempts > MAX_DELIVERY_ATTEMPTS) {
      const message =
        delivery.payload === null
          ? "The stored delivery has no payload."
          : `Processing never finished in ${MAX_DELIVERY_ATTEMPTS} attempts (did the process die while handling it?).`;
      options.metrics?.inboxHandled.inc({ event: delivery.event, result: "parked" });
      await parkDelivery(db, { id: delivery.id, now: now(), code: "INTERNAL", message });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(delivery.payload);
    } catch {
      options.metrics?.inboxHandled.inc({ event: delivery.event, result: "parked" });
      await parkDelivery(db, {
        id: delivery.id,
        now: now(),
        code: "BAD_INPUT",
        message: "The stored payload is not JSON.",
      });
      return;
    }
    try {
      await options.handle({ id: delivery.id, name: delivery.event, payload });
    } catch (error) {
      await settleFailure(delivery, error);
      return;
    }
    options.metrics?.inboxHandled.inc({ event: delivery.event, result: "processed" });
    done.push(delivery.id);
    void flush();
  };

  const dispatch = (delivery: ClaimedDelivery) => {
    inFlight.add(delivery.id);
    const key = partitionOf(delivery);
    const previous = partitions.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      // Stopping: a delivery not started yet goes back to the inbox at once, for the next process to take.
      if (stopped) {
        unstarted.push(delivery.id);
        return;
      }
      await slot();
      try {
        await handle(delivery);
      } catch (error) {
        // settling failed (database gone): the lease runs out and the delivery is taken again
        log.warn(`Delivery ${delivery.id} could not be settled: ${toAppError(error).message}`);
      } finally {
        release();
      }
    });
    partitions.set(key, next);
    void next.finally(() => {
      inFlight.delete(delivery.id);
      if (partitions.get(key) === next) partitions.delete(key);
      if (!stopped) poll();
    });
  };

  const claimAll = async (): Promise<void> => {
    while (!stopped && inFlight.size < maxInFlight) {
      const claimed = await claimDeliveries(db, {
        now: now(),
        leaseMs,
        limit: Math.min(100, maxInFlight - inFlight.size),
        presenceKey: options.presence?.key ?? null,
      });
      for (const delivery of claimed) dispatch(delivery);
      if (claimed.length < 100) return;
    }
  };

  const poll = (): void => {
    if (stopped || Date.now() < pausedUntil) return;
    if (pass) {
      again = true;
      return;
    }
    pass = (async () => {
      do {
        again = false;
        try {
          await claimAll();
          if (failures > 0) options.onDatabase?.(true);
          failures = 0;
        } catch (error) {
          failures += 1;
          const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (failures - 1));
          pausedUntil = Date.now() + wait;
          options.onDatabase?.(false);
          log.error(
            `The inbox processor could not take deliveries (${toAppError(error).message}); again in ${wait} ms`,
          );
          return;
        }
      } while (again && !stopped);
    })().finally(() => {
      pass = null;
    });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(poll, options.pollIntervalMs ?? 500);
      timer.unref();
      poll();
    },
    wake: poll,
    isRunning: () => !stopped,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await pass;
      await Promise.allSettled([...partitions.values()]);
      await flush();
      const released = unstarted.splice(0);
      if (released.length > 0) {
        await releaseDeliveries(db, released).catch((error: unknown) =>
          log.warn(
            `Giving back ${released.length} deliveries failed (their lease runs out): ${toAppError(error).message}`,
          ),
        );
      }
    },
    async runUntilIdle() {
      for (;;) {
        pausedUntil = 0;
        poll();
        await pass;
        await Promise.allSettled([...partitions.values()]);
        await flush();
        if (pass || inFlight.size > 0) continue;
        const due = await db.webhookDelivery.count({
          where: { status: { in: ["pending", "processing"] }, runAfter: { lte: now() } },
        });
        if (due === 0) return;
      }
    },
  };
}

/** A handler's failure as an AppError; a payload the handler's schema refused is bad input, named by its first issue. */
function describeFailure(error: unknown): AppError {
  if ((error as { name?: unknown } | null)?.name === "ZodError") {
    const issue = (error as { issues?: { path?: unknown[]; message?: string }[] }).issues?.[0];
    const where = issue?.path?.length ? issue.path.join(".") : "payload";
    return new AppError(
      "BAD_INPUT",
      `The payload is not what its handler reads: ${where}: ${issue?.message ?? "invalid"}`,
    );
  }
  return toAppError(error);
}

/** Probot's receive rejects with an AggregateError of what the handlers threw: the first is the one to act on. */
function unwrap(error: unknown): unknown {
  const errors = (error as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? errors[0] : error;
}

/** Deliveries that must keep their order: pushes of one ref of one repository; other events per repository. */
function partitionOf(delivery: ClaimedDelivery): string {
  if (delivery.repositoryGithubId === null) return `installation:${delivery.installationId ?? "none"}`;
  if (delivery.event !== "push") return `repository:${delivery.repositoryGithubId}`;
  const ref = refOf(delivery.payload);
  return `push:${delivery.repositoryGithubId}:${ref}`;
}

function refOf(payload: string | null): string {
  // the ref is near the start of a push payload; a full parse happens when the delivery is handled
  const match = payload ? /"ref"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(payload.slice(0, 2_000)) : null;
  return match?.[1] ?? "";
}
