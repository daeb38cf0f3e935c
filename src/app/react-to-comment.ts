import type { GitHubClient, RepoRef } from "../github/github-client.js";

/** The reactions the app puts on a `/sync` comment. */
export type CommentReaction = "eyes" | "confused" | "rocket" | "-1";
/** Adds a reaction to an issue or pull-request comment (`POST …/issues/comments/{id}/reactions`). */
export async function reactToComment(
  options: RepoRef & { client: GitHubClient; commentId: number; content: CommentReaction },
): Promise<void> {
  const { client, owner, repo, commentId, content } = options;
  await client.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    owner,
    repo,
    comment_id: commentId,
    content,
  });
}
