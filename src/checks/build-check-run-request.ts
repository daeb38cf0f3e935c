import type { CheckRunOutput } from "./build-check-run-output.js";
import type { CheckRunSync } from "./check-run-sync.js";

export const CHECK_RUN_NAME = "Project Sync";

/** The one button of our check runs (GitHub: label ≤ 20, description ≤ 40, identifier ≤ 20 characters). */
export const FULL_RESYNC_ACTION = {
  label: "Full resync",
  description: "Re-read every file of the branch",
  identifier: "full-resync",
} as const;

export type CheckRunStatus = "queued" | "in_progress" | "completed";
export type CheckRunConclusion = "success" | "failure" | "neutral" | "cancelled";

/** The fields a create and an update share. */
export type CheckRunUpdate = {
  status: CheckRunStatus;
  conclusion?: CheckRunConclusion;
  started_at?: string;
  completed_at?: string;
  output: CheckRunOutput;
  actions?: (typeof FULL_RESYNC_ACTION)[];
};

export type CheckRunCreate = CheckRunUpdate & {
  name: string;
  head_sha: string;
  external_id: string;
  details_url?: string;
};

/** Where a sync stands, as a check-run status: a queued re-run is `queued` again. */
export function checkRunStatusOf(sync: Pick<CheckRunSync, "status">): CheckRunStatus {
  if (sync.status === "queued") return "queued";
  if (sync.status === "running") return "in_progress";
  return "completed";
}

/** succeeded → success, failed → failure, superseded → neutral, other cancels → cancelled */
export function conclusionOf(sync: Pick<CheckRunSync, "status" | "error">): CheckRunConclusion | undefined {
  switch (sync.status) {
    case "succeeded":
      return "success";
    case "failed":
      return "failure";
    case "cancelled":
      return sync.error?.code === "SUPERSEDED" ? "neutral" : "cancelled";
    default:
      return undefined;
  }
}

/** The body of `PATCH /repos/{owner}/{repo}/check-runs/{id}` that shows the sync as it is now. */
export function buildCheckRunUpdate(sync: CheckRunSync, output: CheckRunOutput): CheckRunUpdate {
  const status = checkRunStatusOf(sync);
  if (status !== "completed") {
    return { status, ...(sync.startedAt ? { started_at: sync.startedAt.toISOString() } : {}), output };
  }
  return {
    status,
    conclusion: conclusionOf(sync),
    ...(sync.startedAt ? { started_at: sync.startedAt.toISOString() } : {}),
    completed_at: (sync.finishedAt ?? sync.startedAt ?? sync.createdAt).toISOString(),
    output,
    actions: [FULL_RESYNC_ACTION],
  };
}

/** The body of `POST /repos/{owner}/{repo}/check-runs` for a sync (it must have a head SHA). */
export function buildCheckRunCreate(
  sync: CheckRunSync & { headSha: string },
  output: CheckRunOutput,
  options: { publicUrl?: string },
): CheckRunCreate {
  return {
    name: CHECK_RUN_NAME,
    head_sha: sync.headSha,
    external_id: sync.id,
    ...(options.publicUrl
      ? { details_url: `${options.publicUrl.replace(/\/+$/, "")}/syncs/${sync.id}` }
      : {}),
    ...buildCheckRunUpdate(sync, output),
    actions: [FULL_RESYNC_ACTION],
  };
}
