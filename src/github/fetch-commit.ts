import { z } from "zod";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

export type FetchCommitOptions = RepoParams & { client: GitHubClient; sha: string };

export type GitCommit = { sha: string; treeSha: string };

const commitSchema = z.object({ sha: gitShaSchema, tree: z.object({ sha: gitShaSchema }) });

/** A commit's tree SHA, from the git database API (no diff or file list, unlike GET /commits/{ref}). */
export async function fetchCommit(options: FetchCommitOptions): Promise<GitCommit> {
  const { client, owner, repo, sha } = options;
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
      owner,
      repo,
      commit_sha: sha,
    });
    const data = commitSchema.parse(response.data);
    return { sha: data.sha, treeSha: data.tree.sha };
  } catch (error) {
    // GitHub answers 422 rather than 404 when the SHA is malformed or names a non-commit object.
    throw mapGitHubError(error, {
      what: `commit ${sha} in ${owner}/${repo}`,
      notFound: "COMMIT_NOT_FOUND",
      notFoundStatuses: [422],
    });
  }
}
