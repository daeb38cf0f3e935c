import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

/** Posts a comment on an issue or pull request (`POST …/issues/{n}/comments`). Errors are AppErrors. */
export async function replyOnIssue(
  options: RepoParams & { client: GitHubClient; issueNumber: number; body: string },
): Promise<void> {
  const { client, owner, repo, issueNumber, body } = options;
  try {
    await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
  } catch (error) {
    throw mapGitHubError(error, { what: `issue or pull request #${issueNumber} of ${owner}/${repo}` });
  }
}
