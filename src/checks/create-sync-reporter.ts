import type { Db } from "../db/create-prisma-client.js";
import { toAppError } from "../errors.js";
import type { SyncPhase } from "../generated/prisma/enums.js";
import type { Logger } from "../logger.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import type { SyncReporter } from "../queue/sync-reporter.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { SyncEvent } from "../sync/sync-event.js";
import { createKeyedChain, type KeyedChain } from "./create-keyed-chain.js";
import { findSupersededInto } from "./find-superseded-into.js";
import type { GitHubWriteBudget } from "./github-write-budget.js";
import type { ReportContext } from "./report-context.js";
import { type ReportReason, reportSync } from "./report-sync.js";
import { takeSweepBatch } from "./take-sweep-batch.js";

export type CreateSyncReporterOptions = {
  db: Db;
  githubFor: ServiceDeps["githubFor"];
  log: Logger;
  now: () => Date;
  /** PUBLIC_URL: check runs link to `${publicUrl}/syncs/<id>` */
  publicUrl?: string;
  /** at most one progress update per sync this often; phase changes always go out (default 5000) */
  updateIntervalMs?: number;
  /**
   * no progress update before a sync has run this long (default 3000): most pushes finish sooner, and their check run
   * then costs two writes (queued, completed) instead of one per phase. A sync still running then shows its phase.
   */
  progressDelayMs?: number;
  /** how long a process may hold a sync's report (creating its check run, a sweep) before another takes over */
  leaseMs?: number;
  /**
   * a queued sync gets its check run when it starts or after waiting this long (default 5000), whichever is first: a
   * burst of pushes supersedes most of its syncs before they run, and those need no check run of their own
   */
  queuedCheckDelayMs?: number;
  /** GitHub's secondary limits on content-creating requests (no budget when absent) */
  budget?: GitHubWriteBudget;
  metrics?: AppMetrics;
};

const SWEEP_BATCH = 50;

/** A sync's progress held back during the progress delay: since its first event, the newest one, the timer. */
type HeldProgress = { since: number; event: SyncEvent; timer: NodeJS.Timeout | null; over: boolean };

/**
 * What this process holds in memory for the syncs it reports (the database holds the rest). A sync enters with
 * `enqueued` (a queued timer) or its first event (`started`, held back, then shown and throttled), and leaves with
 * `settled` or `forget`; `stop` drops every timer.
 */
type ReporterState = {
  /** queued syncs waiting for their check run's delay */
  queuedTimers: Map<string, NodeJS.Timeout>;
  /** syncs whose start this process has reported */
  started: Set<string>;
  /** the newest event of a sync whose report waits its turn in the chain: later events replace it */
  newestEvent: Map<string, SyncEvent>;
  /** when GitHub last got a sync's progress, and which phase it showed (throttling) */
  lastShown: Map<string, { at: number; phase: SyncPhase | null }>;
  /** syncs still inside the progress delay */
  held: Map<string, HeldProgress>;
};

/** The reporter's settings, its state, the per-sync chain its reports run on, and what reporting needs. */
type Reporter = {
  settings: {
    updateIntervalMs: number;
    progressDelayMs: number;
    queuedCheckDelayMs: number;
    leaseMs: number;
  };
  state: ReporterState;
  chain: KeyedChain;
  context: ReportContext;
};

/**
 * The SyncReporter: converges GitHub (a sync's check run, the reaction on its `/sync` comment) on the sync's state in
 * the database. Reports of one sync are serialised and progress is coalesced and throttled; creating a check run is
 * leased across processes; every method is fire-and-forget and logs instead of throwing; `sweep` repairs what a crash
 * or a GitHub error left behind.
 * @example const reporter = createSyncReporter({ db, githubFor, log, now: () => new Date(), publicUrl });
 */
export function createSyncReporter(options: CreateSyncReporterOptions): SyncReporter {
  const r = initReporter(options);
  return {
    enqueued: (syncId) => enqueue(r, syncId),
    event: (syncId, event) => queueEvent(r, syncId, event),
    settled(syncId) {
      void r.chain.run(syncId, () => onSettled(r, syncId));
    },
    sweep: () => sweep(r),
    idle: () => r.chain.idle(),
    forget: (syncId) => forget(r.state, syncId),
    stop: () => stopTimers(r.state),
  };
}

function initReporter(options: CreateSyncReporterOptions): Reporter {
  const { log } = options;
  const state: ReporterState = {
    queuedTimers: new Map(),
    started: new Set(),
    newestEvent: new Map(),
    lastShown: new Map(),
    held: new Map(),
  };
  const settings = {
    updateIntervalMs: options.updateIntervalMs ?? 5000,
    progressDelayMs: options.progressDelayMs ?? 3000,
    queuedCheckDelayMs: options.queuedCheckDelayMs ?? 5000,
    leaseMs: options.leaseMs ?? 60_000,
  };
  const chain = createKeyedChain((error, syncId) => {
    log.error(`Reporting sync ${syncId} on GitHub failed: ${toAppError(error).message}`);
  });
  const context: ReportContext = {
    db: options.db,
    githubFor: options.githubFor,
    log,
    now: options.now,
    publicUrl: options.publicUrl,
    budget: options.budget,
    metrics: options.metrics,
    leaseMs: settings.leaseMs,
    queuedCheckDelayMs: settings.queuedCheckDelayMs,
    onCompleted: (syncId) => state.lastShown.delete(syncId),
  };
  return { settings, state, chain, context };
}

function report(r: Reporter, syncId: string, reason: ReportReason): Promise<boolean> {
  return reportSync(r.context, syncId, reason);
}

/** A sync was queued: its check run is reported after the queued delay (at once without one). */
function enqueue(r: Reporter, syncId: string): void {
  const { queuedCheckDelayMs } = r.settings;
  if (queuedCheckDelayMs <= 0) {
    void r.chain.run(syncId, async () => {
      await report(r, syncId, { kind: "enqueued" });
    });
    return;
  }
  clearQueuedTimer(r.state, syncId);
  const timer = setTimeout(() => {
    r.state.queuedTimers.delete(syncId);
    void r.chain.run(syncId, async () => {
      await report(r, syncId, { kind: "enqueued" });
    });
  }, queuedCheckDelayMs);
  timer.unref();
  r.state.queuedTimers.set(syncId, timer);
}

/** Progress: one report per sync waits in its chain, and it reports the newest event when its turn comes. */
function queueEvent(r: Reporter, syncId: string, event: SyncEvent): void {
  const { newestEvent } = r.state;
  const queued = newestEvent.has(syncId);
  newestEvent.set(syncId, event);
  if (queued) return;
  void r.chain.run(syncId, async () => {
    const newest = newestEvent.get(syncId);
    newestEvent.delete(syncId);
    if (newest) await onEvent(r, syncId, newest);
  });
}

/** A running sync's event, in its turn: reports its start, then progress held back, throttled, phase changes always. */
async function onEvent(r: Reporter, syncId: string, event: SyncEvent): Promise<void> {
  // The end of a sync is reported by `settled`, which knows whether it is retried.
  if (event.status !== "running") return;
  const { state, context } = r;
  const at = context.now().getTime();
  if (!state.started.has(syncId)) {
    state.started.add(syncId);
    clearQueuedTimer(state, syncId);
    // The sync started: its check run is created now, showing this event; progress updates wait for the delay.
    // A check run created earlier (the sync waited in the queue) is updated below like any progress.
    if (await report(r, syncId, { kind: "start", event })) {
      holdBack(r, syncId, event, at);
      state.lastShown.set(syncId, { at, phase: event.phase });
      return;
    }
  }
  if (holdBack(r, syncId, event, at)) return;
  const last = state.lastShown.get(syncId);
  if (last && last.phase === event.phase && at - last.at < r.settings.updateIntervalMs) return;
  state.lastShown.set(syncId, { at, phase: event.phase });
  await report(r, syncId, { kind: "event", event });
}

/** Keeps a sync's progress off GitHub during the delay, showing the newest event when the delay is over. */
function holdBack(r: Reporter, syncId: string, event: SyncEvent, at: number): boolean {
  const { progressDelayMs } = r.settings;
  const { held } = r.state;
  if (progressDelayMs <= 0) return false;
  const entry = held.get(syncId) ?? { since: at, event, timer: null, over: false };
  held.set(syncId, entry);
  const left = entry.since + progressDelayMs - at;
  if (entry.over || left <= 0) return false;
  entry.event = event;
  if (!entry.timer) {
    entry.timer = setTimeout(() => {
      entry.timer = null;
      entry.over = true;
      if (held.get(syncId) === entry) queueEvent(r, syncId, entry.event);
    }, left);
    entry.timer.unref();
  }
  return true;
}

/** A sync reached an end: drops what this process holds for it, reports it and the syncs it superseded. */
async function onSettled(r: Reporter, syncId: string): Promise<void> {
  release(r.state, syncId);
  r.state.lastShown.delete(syncId);
  await report(r, syncId, { kind: "settled" });
  for (const other of await findSupersededInto(r.context.db, syncId)) {
    void r.chain.run(other, async () => {
      await report(r, other, { kind: "settled" });
    });
  }
}

/** Reports a batch of the syncs whose check runs or reactions a crash or a GitHub error left behind. */
async function sweep(r: Reporter): Promise<void> {
  const { db, log, now } = r.context;
  let batch: Awaited<ReturnType<typeof takeSweepBatch>>;
  try {
    batch = await takeSweepBatch(db, {
      now: now(),
      leaseMs: r.settings.leaseMs,
      limit: SWEEP_BATCH,
      queuedDelayMs: r.settings.queuedCheckDelayMs,
    });
  } catch (error) {
    log.error(`Check-run sweep failed: ${toAppError(error).message}`);
    return;
  }
  await Promise.all(
    batch.map(({ id, leased, takeover }) =>
      r.chain.run(id, async () => {
        await report(r, id, { kind: "sweep", leased, takeover });
      }),
    ),
  );
}

/** Drops a sync's timers, its held-back progress and its start. */
function release(state: ReporterState, syncId: string): void {
  const entry = state.held.get(syncId);
  if (entry?.timer) clearTimeout(entry.timer);
  state.held.delete(syncId);
  state.started.delete(syncId);
  clearQueuedTimer(state, syncId);
}

function clearQueuedTimer(state: ReporterState, syncId: string): void {
  const timer = state.queuedTimers.get(syncId);
  if (timer) clearTimeout(timer);
  state.queuedTimers.delete(syncId);
}

/** The sync needs no report after all: drops everything held for it. */
function forget(state: ReporterState, syncId: string): void {
  release(state, syncId);
  state.lastShown.delete(syncId);
  state.newestEvent.delete(syncId);
}

/** Shutdown: drops every timer (queued syncs waiting for their check run, held-back progress). */
function stopTimers(state: ReporterState): void {
  for (const syncId of [...state.queuedTimers.keys()]) clearQueuedTimer(state, syncId);
  for (const syncId of [...state.held.keys()]) release(state, syncId);
}
