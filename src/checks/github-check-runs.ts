import { z } from "zod";
import type { AppError } from "../errors.js";
import { type GitHubClient, type RepoRef, repoParams } from "../github/github-client.js";
import { mapGitHubError } from "../github/map-github-error.js";
import type { CheckRunCreate, CheckRunUpdate } from "./build-check-run-request.js";

const createdSchema = z.object({ id: z.number().int().positive() });

/** `POST /repos/{owner}/{repo}/check-runs`; resolves to the new check run's id. Errors are AppErrors. */
export async function createCheckRun(
  client: GitHubClient,
  repository: RepoRef,
  body: CheckRunCreate,
): Promise<bigint> {
  try {
    const response = await client.request("POST /repos/{owner}/{repo}/check-runs", {
      ...repoParams(repository),
      ...body,
    });
    return BigInt(createdSchema.parse(response.data).id);
  } catch (error) {
    throw mapGitHubError(error, { what: `a check run on ${repository.owner}/${repository.name}` });
  }
}

/** `PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}`. Errors are AppErrors. */
export async function updateCheckRun(
  client: GitHubClient,
  repository: RepoRef,
  checkRunId: bigint,
  body: CheckRunUpdate,
): Promise<void> {
  try {
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...repoParams(repository),
      check_run_id: Number(checkRunId),
      ...body,
    });
  } catch (error) {
    throw mapGitHubError(error, {
      what: `check run ${checkRunId} on ${repository.owner}/${repository.name}`,
    });
  }
}

const listedSchema = z.object({
  check_runs: z.array(
    z.object({
      id: z.number().int().positive(),
      external_id: z.string().nullish(),
      status: z.enum(["queued", "in_progress", "completed", "waiting", "requested", "pending"]),
    }),
  ),
});

/**
 * The check run this app already made for a sync (its `external_id` one of `externalIds`) on a commit, if any. A
 * process that died after GitHub created the check run but before recording its id leaves one behind: a re-run adopts
 * it instead of adding a second one that nobody would ever complete.
 */
export async function findCheckRunByExternalId(
  client: GitHubClient,
  repository: RepoRef,
  options: { headSha: string; name: string; externalIds: readonly string[] },
): Promise<{ id: bigint; status: string } | null> {
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      ...repoParams(repository),
      ref: options.headSha,
      check_name: options.name,
      filter: "all",
      per_page: 100,
    });
    const found = listedSchema
      .parse(response.data)
      .check_runs.find((run) => run.external_id && options.externalIds.includes(run.external_id));
    return found ? { id: BigInt(found.id), status: found.status } : null;
  } catch (error) {
    throw mapGitHubError(error, {
      what: `the check runs of ${options.headSha.slice(0, 7)} on ${repository.owner}/${repository.name}`,
    });
  }
}

/**
 * Whether a failed report can never succeed: no permission (`checks: write`), the app uninstalled, the commit or
 * comment gone, a request GitHub rejects. Everything else (5xx, network, rate limits) is worth a later try.
 */
export function isPermanentFailure(error: AppError): boolean {
  if (error.retryable) return false;
  return (
    error.code === "FORBIDDEN" ||
    error.code === "NOT_FOUND" ||
    error.code === "REPOSITORY_NOT_FOUND" ||
    error.code === "BAD_INPUT" ||
    error.code === "MISSING_CREDENTIALS"
  );
}
