import { z } from "zod";
import { type GitHubRepository, githubRepositorySchema } from "./fetch-repository.js";
import type { GitHubClient } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

const PER_PAGE = 100;
const repositoriesSchema = z.object({
  total_count: z.number().int(),
  repositories: z.array(githubRepositorySchema),
});

/** Every repository an installation may access (`GET /installation/repositories`, 100 a page). */
export async function fetchInstallationRepositories(
  client: GitHubClient,
  installationId: number,
): Promise<GitHubRepository[]> {
  const all: GitHubRepository[] = [];
  for (let page = 1; ; page += 1) {
    let listed: z.infer<typeof repositoriesSchema>;
    try {
      const response = await client.request("GET /installation/repositories", { per_page: PER_PAGE, page });
      listed = repositoriesSchema.parse(response.data);
    } catch (error) {
      throw mapGitHubError(error, { what: `the repositories of installation ${installationId}` });
    }
    all.push(...listed.repositories);
    if (listed.repositories.length < PER_PAGE || all.length >= listed.total_count) return all;
  }
}
