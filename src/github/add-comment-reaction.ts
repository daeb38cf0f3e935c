import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

/** The reactions the app puts on a `/sync` comment: 👀 accepted, 😕 refused, 🚀 done, 👎 failed. */
export type CommentReaction = "eyes" | "confused" | "rocket" | "-1";

/**
 * Adds a reaction to an issue or pull-request comment (`POST …/issues/comments/{comment_id}/reactions`; GitHub keeps
 * one reaction per user and content, so a repeat is harmless). Errors are AppErrors.
 */
export async function addCommentReaction(
  options: RepoParams & { client: GitHubClient; commentId: bigint | number; content: CommentReaction },
): Promise<void> {
  const { client, owner, repo, commentId, content } = options;
  try {
    await client.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      owner,
      repo,
      comment_id: Number(commentId),
      content,
    });
  } catch (error) {
    throw mapGitHubError(error, { what: `comment ${commentId} on ${owner}/${repo}` });
  }
}
