import type { SyncEvent } from "../sync/sync-event.js";
import { buildCheckRunUpdate, type CheckRunStatus, checkRunStatusOf } from "./build-check-run-request.js";
import {
  deferCheckRun,
  dropCheckRunIfMovedOn,
  markCheckRunCompleted,
  markCheckRunWritten,
  takeCreationLease,
} from "./check-run-state.js";
import { createReportedCheckRun } from "./create-reported-check-run.js";
import { updateCheckRun } from "./github-check-runs.js";
import { loadReportSync, type ReportSync } from "./load-report-sync.js";
import { reactOnComment } from "./react-on-comment.js";
import {
  buildReportOutput,
  clientFor,
  type ReportContext,
  reportFailure,
  takeWrite,
} from "./report-context.js";

/** Why a sync is reported: what GitHub should show depends on it. */
export type ReportReason = {
  kind: "enqueued" | "start" | "event" | "settled" | "sweep";
  event?: SyncEvent;
  /** the sweep holds the creation lease already; `takeover`: it was a dead process's */
  leased?: boolean;
  takeover?: boolean;
};

/**
 * Brings GitHub to where the sync is: create its check run (leased), update or complete it, react on the comment.
 * Resolves to whether this call created the check run.
 */
export async function reportSync(
  context: ReportContext,
  syncId: string,
  reason: ReportReason,
): Promise<boolean> {
  const { db, now } = context;
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
      const due = row.createdAt.getTime() + context.queuedCheckDelayMs;
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
      if (!leased && !(await takeCreationLease(db, { syncId: id, now: now(), leaseMs: context.leaseMs })))
        break;
      leased = false;
      const result = await createReportedCheckRun(
        context,
        { ...sync, row: { ...row, headSha: row.headSha } },
        { adopt: takeover },
      );
      if (!result) break;
      id = result.syncId;
      created = result.status;
      continue;
    }
    await updateReportedCheckRun(context, sync, { reason, created });
    break;
  }
  await reactOnComment(context, id);
  return created !== null;
}

/** PATCHes an open check run when it shows less than the sync is; marks it completed when the sync ended. */
async function updateReportedCheckRun(
  context: ReportContext,
  sync: ReportSync,
  options: { reason: ReportReason; created: CheckRunStatus | null },
): Promise<void> {
  const { reason, created } = options;
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
  if (!(await takeWrite(context, sync, { priority: status === "completed" ? "complete" : "progress", kind })))
    return;
  try {
    const body = buildCheckRunUpdate(view, await buildReportOutput(context, sync));
    await updateCheckRun(await clientFor(context, sync), row.repository, row.checkRunId, body);
  } catch (error) {
    await reportFailure(context, sync, { error, what: "update the check run", kind });
    return;
  }
  context.metrics?.githubWrites.inc({ kind, result: "written" });
  if (status === "completed") {
    context.onCompleted(row.id);
    await markCheckRunCompleted(context.db, { syncId: row.id, now: context.now() });
  } else {
    await markCheckRunWritten(context.db, { syncId: row.id, now: context.now() });
  }
}
