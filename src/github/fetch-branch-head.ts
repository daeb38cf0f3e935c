import { z } from "zod";
import { AppError, isAppError } from "../errors.js";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

export type FetchBranchHeadOptions = RepoParams & { client: GitHubClient; branch: string };

export type BranchHead = { commitSha: string; treeSha: string };

const branchSchema = z.object({
  name: z.string(),
  commit: z.object({
    sha: gitShaSchema,
    commit: z.object({ tree: z.object({ sha: gitShaSchema }) }),
  }),
});

/**
 * A branch's head commit and its tree in one request; a branch renamed on GitHub is BRANCH_RENAMED, naming the new
 * name. Octokit encodes `{branch}` as one path segment, so
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
    const { name, commit } = branchSchema.parse(response.data);
    // GitHub answers a renamed branch's old name with a 301 to the new one, and fetch follows it: the answer is then
    // another branch, whose files must not go into the old name's memory.
    if (name !== branch) {
      throw new AppError(
        "BRANCH_RENAMED",
        `Branch "${branch}" of ${owner}/${repo} was renamed to "${name}" on GitHub; sync "${name}" instead (the memory of "${branch}" stays readable until it is retired).`,
      );
    }
    return { commitSha: commit.sha, treeSha: commit.commit.tree.sha };
  } catch (error) {
    if (isAppError(error)) throw error;
    throw mapGitHubError(error, {
      what: `branch "${branch}" of ${owner}/${repo}`,
      notFound: "BRANCH_NOT_FOUND",
    });
  }
}
