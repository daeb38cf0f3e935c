import { isAppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import { fetchBranchHead } from "../github/fetch-branch-head.js";
import { fetchPullRequestHead } from "../github/fetch-pull-request-head.js";
import type { GitHubClient } from "../github/github-client.js";

export type ResolveCommentTargetOptions = {
  client: GitHubClient;
  repository: Pick<Repository, "owner" | "name" | "defaultBranch">;
  /** the branch the command names, if any */
  branch: string | null;
  /** the pull request the comment is on; null on an issue */
  pullNumber: number | null;
};

/** The branch and commit a `/sync` comment means, or why it cannot be synced (the reply). */
export type CommentTarget = { branch: string; headSha: string } | { refusal: string };

/**
 * What to sync for a comment: the named branch, else the pull request's head branch, else the default branch; the
 * head is resolved now so the check run can be created at once. A fork's branch cannot be synced.
 */
export async function resolveCommentTarget(options: ResolveCommentTargetOptions): Promise<CommentTarget> {
  const { client, repository, pullNumber } = options;
  const ref = { client, owner: repository.owner, repo: repository.name };
  if (options.branch === null && pullNumber !== null) {
    const head = await fetchPullRequestHead({ ...ref, pullNumber });
    if (head.fromFork) {
      return {
        refusal: `This pull request's branch \`${head.branch}\` lives in a fork: only branches of ${repository.owner}/${repository.name} can be synced.`,
      };
    }
    // A merged or closed pull request's branch is often deleted: syncing its last head would bring the memory of a
    // branch GitHub no longer has back to life. An open one's head is its branch's head.
    if (head.open) return { branch: head.branch, headSha: head.headSha };
    return branchTarget(ref, head.branch);
  }
  return branchTarget(ref, options.branch ?? repository.defaultBranch);
}

async function branchTarget(
  ref: { client: GitHubClient; owner: string; repo: string },
  branch: string,
): Promise<CommentTarget> {
  try {
    const head = await fetchBranchHead({ ...ref, branch });
    return { branch, headSha: head.commitSha };
  } catch (error) {
    if (isAppError(error) && error.code === "BRANCH_NOT_FOUND") {
      return { refusal: `There is no branch \`${branch}\` in ${ref.owner}/${ref.repo}.` };
    }
    if (isAppError(error) && error.code === "BRANCH_RENAMED") return { refusal: error.message };
    throw error;
  }
}
