import { z } from "zod";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

export type FetchRepositoryOptions = RepoParams & { client: GitHubClient };

/** A repository as GitHub spells it (owner and name may differ in case from what the user typed). */
export type GitHubRepository = {
  githubId: number;
  owner: string;
  name: string;
  defaultBranch: string;
  isPrivate: boolean;
};

/** A repository in GitHub's REST answers (its own, and the listings of an installation's), read as GitHubRepository. */
export const githubRepositorySchema = z
  .object({
    id: z.number().int(),
    name: z.string().min(1),
    owner: z.object({ login: z.string().min(1) }),
    default_branch: z.string().min(1),
    private: z.boolean(),
  })
  .transform(
    (data): GitHubRepository => ({
      githubId: data.id,
      owner: data.owner.login,
      name: data.name,
      defaultBranch: data.default_branch,
      isPrivate: data.private,
    }),
  );

/** The repository's identity and default branch: one `GET /repos/{owner}/{repo}`. */
export async function fetchRepository(options: FetchRepositoryOptions): Promise<GitHubRepository> {
  const { client, owner, repo } = options;
  try {
    const response = await client.request("GET /repos/{owner}/{repo}", { owner, repo });
    return githubRepositorySchema.parse(response.data);
  } catch (error) {
    throw mapGitHubError(error, { what: `repository ${owner}/${repo}`, notFound: "REPOSITORY_NOT_FOUND" });
  }
}
