import type { Db } from "../db/create-prisma-client.js";
import { type AppError, toAppError } from "../errors.js";
import type { GitHubClient } from "../github/github-client.js";
import { requireGitHub } from "../github/require-github.js";
import type { Logger } from "../logger.js";
import { listSyncChanges } from "../memory/list-sync-changes.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { buildCheckRunOutput } from "./build-check-run-output.js";
import { deferCheckRun, markCheckRunSkipped } from "./check-run-state.js";
import { isPermanentFailure } from "./github-check-runs.js";
import { type GitHubWriteBudget, type WritePriority, writeBudgetKey } from "./github-write-budget.js";
import type { ReportSync } from "./load-report-sync.js";

/** What reporting one sync on GitHub needs: the reporter's dependencies and settings, and its throttle's one hook. */
export type ReportContext = {
  db: Db;
  githubFor: ServiceDeps["githubFor"];
  log: Logger;
  now: () => Date;
  publicUrl?: string;
  budget?: GitHubWriteBudget;
  metrics?: AppMetrics;
  leaseMs: number;
  queuedCheckDelayMs: number;
  /** the sync's check run was completed: its progress is no longer throttled */
  onCompleted: (syncId: string) => void;
};

// A write GitHub refused for its secondary limits without saying when to come back is tried again this much later.
const SECONDARY_LIMIT_BACKOFF_MS = 60_000;

// Changed paths listed in a summary (the summary cuts further to stay under GitHub's limit).
const CHANGES_LISTED = 100;

/** The sync's installation client; throws MISSING_CREDENTIALS when there is none. */
export async function clientFor(context: ReportContext, sync: ReportSync): Promise<GitHubClient> {
  return requireGitHub(await context.githubFor(sync.row.repository));
}

/** A GitHub call failed: give up on this check run for good (one warning), or leave it for the sweep. */
export async function reportFailure(
  context: ReportContext,
  sync: ReportSync,
  failure: { error: unknown; what: string; kind: string },
): Promise<void> {
  const { db, log, now } = context;
  const appError: AppError = toAppError(failure.error);
  const name = `${sync.row.repository.owner}/${sync.row.repository.name}`;
  context.metrics?.githubWrites.inc({ kind: failure.kind, result: "failed" });
  if (isPermanentFailure(appError)) {
    if (await markCheckRunSkipped(db, { syncId: sync.row.id, now: now() })) {
      log.warn(`No check run for sync ${sync.row.id} of ${name} (${failure.what}): ${appError.message}`);
    }
    return;
  }
  if (appError.code === "GITHUB_RATE_LIMITED") {
    // how long GitHub asked to wait (measured on the wall clock), counted on this reporter's clock
    const waitMs = appError.retryAt ? appError.retryAt.getTime() - Date.now() : SECONDARY_LIMIT_BACKOFF_MS;
    const until = new Date(now().getTime() + Math.max(1_000, Math.round(waitMs / 1000) * 1000));
    await deferCheckRun(db, { syncId: sync.row.id, until });
  }
  log.warn(
    `Could not ${failure.what} for sync ${sync.row.id} of ${name}; the sweep retries: ${appError.message}`,
  );
}

/**
 * Takes a write from the installation's budget; when there is none at this priority, the check run waits (the
 * sweep writes it when the budget allows), except progress, which the next update or the completion covers.
 */
export async function takeWrite(
  context: ReportContext,
  sync: ReportSync,
  write: { priority: WritePriority; kind: string },
): Promise<boolean> {
  if (!context.budget) return true;
  const grant = await context.budget.take(writeBudgetKey(sync.row.repository), write.priority);
  if (grant.granted) return true;
  context.metrics?.githubWrites.inc({ kind: write.kind, result: "deferred" });
  if (write.priority !== "progress")
    await deferCheckRun(context.db, { syncId: sync.row.id, until: grant.retryAt });
  return false;
}

/** The check run's title, summary and text; a succeeded sync lists its changed paths. */
export async function buildReportOutput(context: ReportContext, sync: ReportSync) {
  const changes =
    sync.view.status === "succeeded"
      ? await listSyncChanges(context.db, { syncId: sync.row.id, limit: CHANGES_LISTED })
      : null;
  return buildCheckRunOutput(sync.view, { changes, now: context.now() });
}
