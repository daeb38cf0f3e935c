import { z } from "zod";
import type { AppError } from "../errors.js";
import type { GitHubClient } from "../github/github-client.js";
import { mapGitHubError } from "../github/map-github-error.js";
import type { CheckRunCreate, CheckRunUpdate } from "./build-check-run-request.js";

export type RepoTarget = { owner: string; name: string };

const createdSchema = z.object({ id: z.number().int().positive() });

/** `POST /repos/{owner}/{repo}/check-runs`; resolves to the new check run's id. Errors are AppErrors. */
export async function createCheckRun(
  client: GitHubClient,
  repo: RepoTarget,
  body: CheckRunCreate,
): Promise<bigint> {
  try {
    const response = await client.request("POST /repos/{owner}/{repo}/check-runs", {
      owner: repo.owner,
      repo: repo.name,
      ...body,
    });
    return BigInt(createdSchema.parse(response.data).id);
  } catch (error) {
    throw mapGitHubError(error, { what: `a check run on ${repo.owner}/${repo.name}` });
  }
}

/** `PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}`. Errors are AppErrors. */
export async function updateCheckRun(
  client: GitHubClient,
  repo: RepoTarget,
  checkRunId: bigint,
  body: CheckRunUpdate,
): Promise<void> {
  try {
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: repo.owner,
      repo: repo.name,
      check_run_id: Number(checkRunId),
      ...body,
    });
  } catch (error) {
    throw mapGitHubError(error, { what: `check run ${checkRunId} on ${repo.owner}/${repo.name}` });
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
