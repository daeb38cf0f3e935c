import type { Db } from "../db/create-prisma-client.js";
import { AppError, toAppError } from "../errors.js";
import type { SyncPhase } from "../generated/prisma/enums.js";
import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "../logger.js";
import { listSyncChanges } from "../memory/list-sync-changes.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import type { SyncReporter } from "../queue/sync-reporter.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { SyncEvent } from "../sync/sync-event.js";
import { buildCheckRunOutput } from "./build-check-run-output.js";
import {
  buildCheckRunCreate,
  buildCheckRunUpdate,
  CHECK_RUN_NAME,
  type CheckRunStatus,
  checkRunStatusOf,
} from "./build-check-run-request.js";
import {
  deferCheckRun,
  dropCheckRunIfMovedOn,
  findAttemptIds,
  markCheckRunCompleted,
  markCheckRunSkipped,
  markCheckRunWritten,
  storeCreatedCheckRun,
  takeCreationLease,
} from "./check-run-state.js";
import { createKeyedChain } from "./create-keyed-chain.js";
import { findSupersededInto } from "./find-superseded-into.js";
import {
  createCheckRun,
  findCheckRunByExternalId,
  isPermanentFailure,
  updateCheckRun,
} from "./github-check-runs.js";
import { type GitHubWriteBudget, type WritePriority, writeBudgetKey } from "./github-write-budget.js";
import { loadReportSync, type ReportSync } from "./load-report-sync.js";
import { reactOnComment } from "./react-on-comment.js";
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

type Reason = {
  kind: "enqueued" | "start" | "event" | "settled" | "sweep";
  event?: SyncEvent;
  /** the sweep holds the creation lease already; `takeover`: it was a dead process's */
  leased?: boolean;
  takeover?: boolean;
};

// A write GitHub refused for its secondary limits without saying when to come back is tried again this much later.
const SECONDARY_LIMIT_BACKOFF_MS = 60_000;

// Changed paths listed in a summary (the summary cuts further to stay under GitHub's limit).
const CHANGES_LISTED = 100;
const SWEEP_BATCH = 50;

/**
 * The SyncReporter: converges GitHub (a sync's check run, the reaction on its `/sync` comment) on the sync's state in
 * the database. Reports of one sync are serialised and progress is coalesced and throttled; creating a check run is
 * leased across processes; every method is fire-and-forget and logs instead of throwing; `sweep` repairs what a crash
 * or a GitHub error left behind.
 * @example const reporter = createSyncReporter({ db, githubFor, log, now: () => new Date(), publicUrl });
 */
export function createSyncReporter(options: CreateSyncReporterOptions): SyncReporter {
  const { db, log, now } = options;
  const updateIntervalMs = options.updateIntervalMs ?? 5000;
  const leaseMs = options.leaseMs ?? 60_000;
  const chain = createKeyedChain((error, syncId) => {
    log.error(`Reporting sync ${syncId} on GitHub failed: ${toAppError(error).message}`);
  });
  const progressDelayMs = options.progressDelayMs ?? 3000;
  const queuedCheckDelayMs = options.queuedCheckDelayMs ?? 5000;
  // queued syncs waiting for their check run's delay, and syncs whose start this process has reported
  const queuedTimers = new Map<string, NodeJS.Timeout>();
  const started = new Set<string>();
  const newestEvent = new Map<string, SyncEvent>();
  const lastShown = new Map<string, { at: number; phase: SyncPhase | null }>();
  // Syncs still inside the progress delay: when their first event came, the newest event held back, and the timer
  // that shows it when the delay is over.
  const held = new Map<
    string,
    { since: number; event: SyncEvent; timer: NodeJS.Timeout | null; over: boolean }
  >();

  async function clientFor(sync: ReportSync): Promise<GitHubClient> {
    const client = await options.githubFor(sync.row.repository);
    if (!client) throw new AppError("MISSING_CREDENTIALS", "no GitHub credentials are configured");
    return client;
  }

  /** A GitHub call failed: give up on this check run for good (one warning), or leave it for the sweep. */
  async function failed(sync: ReportSync, error: unknown, what: string, kind: string): Promise<void> {
    const appError: AppError = toAppError(error);
    const name = `${sync.row.repository.owner}/${sync.row.repository.name}`;
    options.metrics?.githubWrites.inc({ kind, result: "failed" });
    if (isPermanentFailure(appError)) {
      if (await markCheckRunSkipped(db, { syncId: sync.row.id, now: now() })) {
        log.warn(`No check run for sync ${sync.row.id} of ${name} (${what}): ${appError.message}`);
      }
      return;
    }
    if (appError.code === "GITHUB_RATE_LIMITED") {
      // how long GitHub asked to wait (measured on the wall clock), counted on this reporter's clock
      const waitMs = appError.retryAt ? appError.retryAt.getTime() - Date.now() : SECONDARY_LIMIT_BACKOFF_MS;
      const until = new Date(now().getTime() + Math.max(1_000, Math.round(waitMs / 1000) * 1000));
      await deferCheckRun(db, { syncId: sync.row.id, until });
    }
    log.warn(`Could not ${what} for sync ${sync.row.id} of ${name}; the sweep retries: ${appError.message}`);
  }

  /**
   * Takes a write from the installation's budget; when there is none at this priority, the check run waits (the
   * sweep writes it when the budget allows), except progress, which the next update or the completion covers.
   */
  async function budgeted(sync: ReportSync, priority: WritePriority, kind: string): Promise<boolean> {
    if (!options.budget) return true;
    const grant = await options.budget.take(writeBudgetKey(sync.row.repository), priority);
    if (grant.granted) return true;
    options.metrics?.githubWrites.inc({ kind, result: "deferred" });
    if (priority !== "progress") await deferCheckRun(db, { syncId: sync.row.id, until: grant.retryAt });
    return false;
  }

  async function outputOf(sync: ReportSync) {
    const changes =
      sync.view.status === "succeeded"
        ? await listSyncChanges(db, { syncId: sync.row.id, limit: CHANGES_LISTED })
        : null;
    return buildCheckRunOutput(sync.view, { changes, now: now() });
  }

  /** POSTs the check run under the lease; resolves to the sync that holds it and the status it was created with. */
  async function create(sync: ReportSync & { row: { headSha: string } }, options_: { adopt: boolean }) {
    if (options_.adopt) {
      const adopted = await adopt(sync);
      if (adopted !== undefined) return adopted;
    }
    if (!(await budgeted(sync, "create", "check_run_create"))) return null;
    const body = buildCheckRunCreate(
      { ...sync.view, headSha: sync.row.headSha },
      await outputOf(sync),
      options,
    );
    let checkRunId: bigint;
    try {
      checkRunId = await createCheckRun(await clientFor(sync), sync.row.repository, body);
    } catch (error) {
      await failed(sync, error, "create the check run", "check_run_create");
      return null;
    }
    options.metrics?.githubWrites.inc({ kind: "check_run_create", result: "written" });
    const holder = await storeCreatedCheckRun(db, {
      sync: sync.row,
      checkRunId,
      completed: body.status === "completed",
      now: now(),
    });
    if (!holder)
      log.warn(`Check run ${checkRunId} was created for sync ${sync.row.id}, which no longer wants one.`);
    return holder ? { syncId: holder, status: body.status } : null;
  }

  /**
   * A creation whose previous holder died (its lease ran out, or its sync was run again after a crash) may have
   * reached GitHub before the process died: a check run of this sync (or of an earlier attempt) on the commit is
   * taken as this sync's. Resolves to its holder and status; null when the lookup failed (the sweep retries);
   * undefined when there is none, so it is created.
   */
  async function adopt(sync: ReportSync & { row: { headSha: string } }) {
    let found: Awaited<ReturnType<typeof findCheckRunByExternalId>>;
    try {
      found = await findCheckRunByExternalId(await clientFor(sync), sync.row.repository, {
        headSha: sync.row.headSha,
        name: CHECK_RUN_NAME,
        externalIds: await findAttemptIds(db, sync.row.id),
      });
    } catch (error) {
      await failed(sync, error, "look for the check run", "check_run_create");
      return null;
    }
    if (!found) return undefined;
    log.info(`Check run ${found.id} of an earlier attempt is taken over by sync ${sync.row.id}`);
    const holder = await storeCreatedCheckRun(db, {
      sync: sync.row,
      checkRunId: found.id,
      completed: false,
      now: now(),
    });
    const status: CheckRunStatus =
      found.status === "completed" ? "completed" : found.status === "queued" ? "queued" : "in_progress";
    return holder ? { syncId: holder, status } : null;
  }

  /** PATCHes an open check run when it shows less than the sync is; marks it completed when the sync ended. */
  async function update(sync: ReportSync, reason: Reason, created: CheckRunStatus | null): Promise<void> {
    const { view, row } = sync;
    const status = checkRunStatusOf(view);
    const wanted =
      status === "completed" ||
      (created !== null
        ? created !== status
        : reason.kind === "event" ||
          reason.kind === "sweep" ||
          (reason.kind === "settled" && status === "queued" && view.retryOfSyncId !== null));
    if (!wanted || row.checkRunId === null) return;
    const kind = status === "completed" ? "check_run_complete" : "check_run_update";
    if (!(await budgeted(sync, status === "completed" ? "complete" : "progress", kind))) return;
    try {
      const body = buildCheckRunUpdate(view, await outputOf(sync));
      await updateCheckRun(await clientFor(sync), row.repository, row.checkRunId, body);
    } catch (error) {
      await failed(sync, error, "update the check run", kind);
      return;
    }
    options.metrics?.githubWrites.inc({ kind, result: "written" });
    if (status === "completed") {
      lastShown.delete(row.id);
      await markCheckRunCompleted(db, { syncId: row.id, now: now() });
    } else {
      await markCheckRunWritten(db, { syncId: row.id, now: now() });
    }
  }

  /**
   * Brings GitHub to where the sync is: create its check run (leased), update or complete it, react on the comment.
   * Resolves to whether this call created the check run.
   */
  async function report(syncId: string, reason: Reason): Promise<boolean> {
    let id = syncId;
    let leased = reason.leased ?? false;
    let created: CheckRunStatus | null = null;
    // Creating takes a while; the sync may move on meanwhile, so the row is read again after it (a few rounds at most).
    for (let round = 0; round < 4; round += 1) {
      const sync = await loadReportSync(db, id, reason.event);
      if (!sync) return false;
      const { row } = sync;
      const state = row.checkRunState;
      if (state === null || state === "completed" || state === "skipped" || row.headSha === null) break;
      if (state === "pending" || state === "creating") {
        // a queued sync's check run waits for the sync to start (or for the delay): most of a burst never runs
        const due = row.createdAt.getTime() + queuedCheckDelayMs;
        if (row.status === "queued" && now().getTime() < due) {
          if (leased) await deferCheckRun(db, { syncId: id, until: new Date(due) });
          break;
        }
        // a finished sync whose check run never got out (its budget was short) and whose branch has moved on needs
        // none: the pull request shows the newer head's
        if (row.status !== "queued" && row.status !== "running" && (await dropCheckRunIfMovedOn(db, row)))
          break;
        // a lease taken over (its holder died), or a creation a crashed attempt left, may have reached GitHub already
        const takeover = row.checkRunAdopt || (leased ? reason.takeover === true : state === "creating");
        if (!leased && !(await takeCreationLease(db, { syncId: id, now: now(), leaseMs }))) break;
        leased = false;
        const result = await create({ ...sync, row: { ...row, headSha: row.headSha } }, { adopt: takeover });
        if (!result) break;
        id = result.syncId;
        created = result.status;
        continue;
      }
      await update(sync, reason, created);
      break;
    }
    await reactOnComment({ db, githubFor: options.githubFor, log, now }, id);
    return created !== null;
  }

  async function onEvent(syncId: string, event: SyncEvent): Promise<void> {
    // The end of a sync is reported by `settled`, which knows whether it is retried.
    if (event.status !== "running") return;
    const at = now().getTime();
    if (!started.has(syncId)) {
      started.add(syncId);
      clearQueuedTimer(syncId);
      // The sync started: its check run is created now, showing this event; progress updates wait for the delay.
      // A check run created earlier (the sync waited in the queue) is updated below like any progress.
      if (await report(syncId, { kind: "start", event })) {
        holdBack(syncId, event, at);
        lastShown.set(syncId, { at, phase: event.phase });
        return;
      }
    }
    if (holdBack(syncId, event, at)) return;
    const last = lastShown.get(syncId);
    if (last && last.phase === event.phase && at - last.at < updateIntervalMs) return;
    lastShown.set(syncId, { at, phase: event.phase });
    await report(syncId, { kind: "event", event });
  }

  /** Keeps a sync's progress off GitHub during the delay, showing the newest event when the delay is over. */
  function holdBack(syncId: string, event: SyncEvent, at: number): boolean {
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
        if (held.get(syncId) === entry) reporter.event(syncId, entry.event);
      }, left);
      entry.timer.unref();
    }
    return true;
  }

  function release(syncId: string): void {
    const entry = held.get(syncId);
    if (entry?.timer) clearTimeout(entry.timer);
    held.delete(syncId);
    started.delete(syncId);
    clearQueuedTimer(syncId);
  }

  function clearQueuedTimer(syncId: string): void {
    const timer = queuedTimers.get(syncId);
    if (timer) clearTimeout(timer);
    queuedTimers.delete(syncId);
  }

  async function onSettled(syncId: string): Promise<void> {
    release(syncId);
    lastShown.delete(syncId);
    await report(syncId, { kind: "settled" });
    for (const other of await findSupersededInto(db, syncId)) {
      void chain.run(other, async () => {
        await report(other, { kind: "settled" });
      });
    }
  }

  const reporter: SyncReporter = {
    enqueued(syncId) {
      if (queuedCheckDelayMs <= 0) {
        void chain.run(syncId, async () => {
          await report(syncId, { kind: "enqueued" });
        });
        return;
      }
      clearQueuedTimer(syncId);
      const timer = setTimeout(() => {
        queuedTimers.delete(syncId);
        void chain.run(syncId, async () => {
          await report(syncId, { kind: "enqueued" });
        });
      }, queuedCheckDelayMs);
      timer.unref();
      queuedTimers.set(syncId, timer);
    },
    event(syncId, event) {
      const queued = newestEvent.has(syncId);
      newestEvent.set(syncId, event);
      if (queued) return;
      void chain.run(syncId, async () => {
        const newest = newestEvent.get(syncId);
        newestEvent.delete(syncId);
        if (newest) await onEvent(syncId, newest);
      });
    },
    settled(syncId) {
      void chain.run(syncId, () => onSettled(syncId));
    },
    async sweep() {
      let batch: Awaited<ReturnType<typeof takeSweepBatch>>;
      try {
        batch = await takeSweepBatch(db, {
          now: now(),
          leaseMs,
          limit: SWEEP_BATCH,
          queuedDelayMs: queuedCheckDelayMs,
        });
      } catch (error) {
        log.error(`Check-run sweep failed: ${toAppError(error).message}`);
        return;
      }
      await Promise.all(
        batch.map(({ id, leased, takeover }) =>
          chain.run(id, async () => {
            await report(id, { kind: "sweep", leased, takeover });
          }),
        ),
      );
    },
    idle: () => chain.idle(),
    forget(syncId) {
      release(syncId);
      lastShown.delete(syncId);
      newestEvent.delete(syncId);
    },
    stop() {
      for (const syncId of [...queuedTimers.keys()]) clearQueuedTimer(syncId);
      for (const syncId of [...held.keys()]) release(syncId);
    },
  };
  return reporter;
}
