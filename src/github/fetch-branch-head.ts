import { z } from "zod";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoRef } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

export type FetchBranchHeadOptions = RepoRef & { client: GitHubClient; branch: string };

export type BranchHead = { commitSha: string; treeSha: string };

const branchSchema = z.object({
  commit: z.object({
    sha: gitShaSchema,
    commit: z.object({ tree: z.object({ sha: gitShaSchema }) }),
  }),
});

/**
 * A branch's head commit and its tree in one request. Octokit encodes `{branch}` as one path segment, so
 * "feature/x" is sent as `feature%2Fx`, which GitHub accepts.
 */
export async function fetchBranchHead(options: FetchBranchHeadOptions): Promise<BranchHead> {
  const { client, owner, repo, branch } = options;
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/branches/{branch}", {
      owner,
      repo,
      branch,
    });
    const { commit } = branchSchema.parse(response.data);
    return { commitSha: commit.sha, treeSha: commit.commit.tree.sha };
  } catch (error) {
    throw mapGitHubError(error, {
      what: `branch "${branch}" of ${owner}/${repo}`,
      notFound: "BRANCH_NOT_FOUND",
    });
  }
}
