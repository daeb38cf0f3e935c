import type { GitHubClient, RepoParams } from "../github/github-client.js";

/** Posts a comment on an issue or pull request (`POST …/issues/{n}/comments`). */
export async function replyOnIssue(
  options: RepoParams & { client: GitHubClient; issueNumber: number; body: string },
): Promise<void> {
  const { client, owner, repo, issueNumber, body } = options;
  await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner,
    repo,
    issue_number: issueNumber,
    body,
  });
}
