import { buildCheckRunCreate, CHECK_RUN_NAME, type CheckRunStatus } from "./build-check-run-request.js";
import { findAttemptIds, storeCreatedCheckRun } from "./check-run-state.js";
import { createCheckRun, findCheckRunByExternalId } from "./github-check-runs.js";
import type { ReportSync } from "./load-report-sync.js";
import {
  buildReportOutput,
  clientFor,
  type ReportContext,
  reportFailure,
  takeWrite,
} from "./report-context.js";

/** A sync whose check run can be created: it has a head commit. */
export type CreatableSync = ReportSync & { row: { headSha: string } };

/** The sync that holds the check run (the one asked for, or a re-run queued meanwhile) and the status it shows. */
export type CreatedCheckRun = { syncId: string; status: CheckRunStatus };

/**
 * POSTs the check run under the lease (first looking for one a dead holder may have made, when `adopt`); resolves to
 * the sync that holds it and the status it was created with, null when none was created (the sweep retries).
 */
export async function createReportedCheckRun(
  context: ReportContext,
  sync: CreatableSync,
  options: { adopt: boolean },
): Promise<CreatedCheckRun | null> {
  if (options.adopt) {
    const adopted = await adoptCheckRun(context, sync);
    if (adopted !== undefined) return adopted;
  }
  if (!(await takeWrite(context, sync, { priority: "create", kind: "check_run_create" }))) return null;
  const body = buildCheckRunCreate(
    { ...sync.view, headSha: sync.row.headSha },
    await buildReportOutput(context, sync),
    context,
  );
  let checkRunId: bigint;
  try {
    checkRunId = await createCheckRun(await clientFor(context, sync), sync.row.repository, body);
  } catch (error) {
    await reportFailure(context, sync, { error, what: "create the check run", kind: "check_run_create" });
    return null;
  }
  context.metrics?.githubWrites.inc({ kind: "check_run_create", result: "written" });
  const holder = await storeCreatedCheckRun(context.db, {
    sync: sync.row,
    checkRunId,
    completed: body.status === "completed",
    now: context.now(),
  });
  if (!holder)
    context.log.warn(
      `Check run ${checkRunId} was created for sync ${sync.row.id}, which no longer wants one.`,
    );
  return holder ? { syncId: holder, status: body.status } : null;
}

/**
 * A creation whose previous holder died (its lease ran out, or its sync was run again after a crash) may have
 * reached GitHub before the process died: a check run of this sync (or of an earlier attempt) on the commit is
 * taken as this sync's. Resolves to its holder and status; null when the lookup failed (the sweep retries);
 * undefined when there is none, so it is created.
 */
async function adoptCheckRun(
  context: ReportContext,
  sync: CreatableSync,
): Promise<CreatedCheckRun | null | undefined> {
  let found: Awaited<ReturnType<typeof findCheckRunByExternalId>>;
  try {
    found = await findCheckRunByExternalId(await clientFor(context, sync), sync.row.repository, {
      headSha: sync.row.headSha,
      name: CHECK_RUN_NAME,
      externalIds: await findAttemptIds(context.db, sync.row.id),
    });
  } catch (error) {
    await reportFailure(context, sync, { error, what: "look for the check run", kind: "check_run_create" });
    return null;
  }
  if (!found) return undefined;
  context.log.info(`Check run ${found.id} of an earlier attempt is taken over by sync ${sync.row.id}`);
  const holder = await storeCreatedCheckRun(context.db, {
    sync: sync.row,
    checkRunId: found.id,
    completed: false,
    now: context.now(),
  });
  const status: CheckRunStatus =
    found.status === "completed" ? "completed" : found.status === "queued" ? "queued" : "in_progress";
  return holder ? { syncId: holder, status } : null;
}
