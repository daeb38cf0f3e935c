import { z } from "zod";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

const pullSchema = z.object({
  state: z.string().optional(),
  head: z.object({
    ref: z.string().min(1),
    sha: gitShaSchema,
    // null when the fork was deleted
    repo: z.object({ id: z.number().int() }).nullable(),
  }),
  base: z.object({ repo: z.object({ id: z.number().int() }) }),
});

/**
 * A pull request's head branch and commit, whether that branch lives in a fork, and whether the pull request is still
 * open (a closed one's branch may have been deleted since, or moved on).
 */
export type PullRequestHead = { branch: string; headSha: string; fromFork: boolean; open: boolean };

/** The head of a pull request (`GET …/pulls/{n}`). */
export async function fetchPullRequestHead(
  options: RepoParams & { client: GitHubClient; pullNumber: number },
): Promise<PullRequestHead> {
  const { client, owner, repo, pullNumber } = options;
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner,
      repo,
      pull_number: pullNumber,
    });
    const { state, head, base } = pullSchema.parse(response.data);
    return {
      branch: head.ref,
      headSha: head.sha,
      fromFork: head.repo?.id !== base.repo.id,
      open: state !== "closed",
    };
  } catch (error) {
    throw mapGitHubError(error, { what: `pull request #${pullNumber} of ${owner}/${repo}` });
  }
}
