import type { Db } from "../db/create-prisma-client.js";
import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import { type ClaimedDelivery, claimDeliveries } from "./claim-deliveries.js";
import { type HandleClaimedDeliveryDeps, handleClaimedDelivery } from "./handle-claimed-delivery.js";
import { markDeliveriesProcessed, releaseDeliveries } from "./settle-deliveries.js";

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
  const inbox = initInbox(options);
  return {
    start: () => start(inbox),
    wake: () => poll(inbox),
    isRunning: () => !inbox.stopped,
    stop: () => stop(inbox),
    runUntilIdle: () => runUntilIdle(inbox),
  };
}

/**
 * One processor's state. `stopped` until started and again once stopping; deliveries move from claimed (`inFlight`,
 * chained on their `partitions`) to handled (`done`, marked in batches by `flush`), or back to the inbox
 * (`unstarted`) when stopping; `pass` is the claiming pass under way (`again`: poll once more when it ends), and
 * `failures`/`pausedUntil` the backoff after the database failed.
 */
type Inbox = {
  options: CreateInboxProcessorOptions;
  deps: HandleClaimedDeliveryDeps;
  maxInFlight: number;
  leaseMs: number;
  slots: Slots;
  inFlight: Set<string>;
  partitions: Map<string, Promise<void>>;
  done: string[];
  unstarted: string[];
  flushing: Promise<void> | null;
  stopped: boolean;
  timer?: NodeJS.Timeout;
  pass: Promise<void> | null;
  again: boolean;
  failures: number;
  pausedUntil: number;
};

function initInbox(options: CreateInboxProcessorOptions): Inbox {
  const { db, log, handle, metrics, random } = options;
  const now = options.now ?? (() => new Date());
  return {
    options,
    deps: { db, handle, log, now, metrics, random },
    maxInFlight: Math.max(1, options.maxInFlight ?? 200),
    leaseMs: options.leaseMs ?? 120_000,
    slots: createSlots(Math.max(1, options.concurrency ?? 8)),
    inFlight: new Set(),
    partitions: new Map(),
    done: [],
    unstarted: [],
    flushing: null,
    stopped: true,
    pass: null,
    again: false,
    failures: 0,
    pausedUntil: 0,
  };
}

function start(inbox: Inbox): void {
  if (!inbox.stopped) return;
  inbox.stopped = false;
  inbox.timer = setInterval(() => poll(inbox), inbox.options.pollIntervalMs ?? 500);
  inbox.timer.unref();
  poll(inbox);
}

/** Stops claiming, waits for what runs, marks what was handled and gives back what never started. */
async function stop(inbox: Inbox): Promise<void> {
  const { db, log } = inbox.deps;
  inbox.stopped = true;
  clearInterval(inbox.timer);
  await inbox.pass;
  await Promise.allSettled([...inbox.partitions.values()]);
  await flush(inbox);
  const released = inbox.unstarted.splice(0);
  if (released.length > 0) {
    await releaseDeliveries(db, released).catch((error: unknown) =>
      log.warn(
        `Giving back ${released.length} deliveries failed (their lease runs out): ${toAppError(error).message}`,
      ),
    );
  }
}

async function runUntilIdle(inbox: Inbox): Promise<void> {
  for (;;) {
    inbox.pausedUntil = 0;
    poll(inbox);
    await inbox.pass;
    await Promise.allSettled([...inbox.partitions.values()]);
    await flush(inbox);
    if (inbox.pass || inbox.inFlight.size > 0) continue;
    const due = await inbox.deps.db.webhookDelivery.count({
      where: { status: { in: ["pending", "processing"] }, runAfter: { lte: inbox.deps.now() } },
    });
    if (due === 0) return;
  }
}

/** Starts a claiming pass, or asks the one under way for another round; nothing while the database is backed off. */
function poll(inbox: Inbox): void {
  if (inbox.stopped || Date.now() < inbox.pausedUntil) return;
  if (inbox.pass) {
    inbox.again = true;
    return;
  }
  inbox.pass = (async () => {
    do {
      inbox.again = false;
      try {
        await claimAll(inbox);
        if (inbox.failures > 0) inbox.options.onDatabase?.(true);
        inbox.failures = 0;
      } catch (error) {
        backOff(inbox, error);
        return;
      }
    } while (inbox.again && !inbox.stopped);
  })().finally(() => {
    inbox.pass = null;
  });
}

/** The database failed: polls pause, doubling up to MAX_BACKOFF_MS. */
function backOff(inbox: Inbox, error: unknown): void {
  inbox.failures += 1;
  const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (inbox.failures - 1));
  inbox.pausedUntil = Date.now() + wait;
  inbox.options.onDatabase?.(false);
  inbox.deps.log.error(
    `The inbox processor could not take deliveries (${toAppError(error).message}); again in ${wait} ms`,
  );
}

async function claimAll(inbox: Inbox): Promise<void> {
  while (!inbox.stopped && inbox.inFlight.size < inbox.maxInFlight) {
    const claimed = await claimDeliveries(inbox.deps.db, {
      now: inbox.deps.now(),
      leaseMs: inbox.leaseMs,
      limit: Math.min(100, inbox.maxInFlight - inbox.inFlight.size),
      presenceKey: inbox.options.presence?.key ?? null,
    });
    for (const delivery of claimed) dispatch(inbox, delivery);
    if (claimed.length < 100) return;
  }
}

/** Chains a claimed delivery after its partition's earlier ones; it runs when a slot is free. */
function dispatch(inbox: Inbox, delivery: ClaimedDelivery): void {
  inbox.inFlight.add(delivery.id);
  const key = partitionOf(delivery);
  const previous = inbox.partitions.get(key) ?? Promise.resolve();
  const next = previous.then(async () => {
    // Stopping: a delivery not started yet goes back to the inbox at once, for the next process to take.
    if (inbox.stopped) {
      inbox.unstarted.push(delivery.id);
      return;
    }
    await inbox.slots.take();
    try {
      if (await handleClaimedDelivery(inbox.deps, delivery)) {
        inbox.done.push(delivery.id);
        void flush(inbox);
      }
    } catch (error) {
      // settling failed (database gone): the lease runs out and the delivery is taken again
      inbox.deps.log.warn(`Delivery ${delivery.id} could not be settled: ${toAppError(error).message}`);
    } finally {
      inbox.slots.give();
    }
  });
  inbox.partitions.set(key, next);
  void next.finally(() => {
    inbox.inFlight.delete(delivery.id);
    if (inbox.partitions.get(key) === next) inbox.partitions.delete(key);
    if (!inbox.stopped) poll(inbox);
  });
}

/** Marks the handled deliveries processed, in batches; one flush at a time. */
function flush(inbox: Inbox): Promise<void> {
  if (inbox.flushing) return inbox.flushing;
  inbox.flushing = (async () => {
    while (inbox.done.length > 0) {
      const ids = inbox.done;
      inbox.done = [];
      try {
        await markDeliveriesProcessed(inbox.deps.db, ids, inbox.deps.now());
      } catch (error) {
        // their effects are recorded; the lease runs out and they are taken again, which changes nothing
        inbox.deps.log.warn(
          `Marking ${ids.length} deliveries processed failed: ${toAppError(error).message}`,
        );
      }
    }
  })().finally(() => {
    inbox.flushing = null;
  });
  return inbox.flushing;
}

/** At most `size` deliveries handled at once; the rest wait their turn in order. */
type Slots = { take: () => Promise<void>; give: () => void };

function createSlots(size: number): Slots {
  const waiting: (() => void)[] = [];
  let running = 0;
  return {
    async take() {
      if (running < size) {
        running += 1;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    give() {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    },
  };
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
