import { z } from "zod";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

export type FetchBranchesOptions = RepoParams & { client: GitHubClient };

export type GitHubBranch = { name: string; headSha: string; protected: boolean };

const branchesSchema = z.array(
  z.object({ name: z.string().min(1), commit: z.object({ sha: gitShaSchema }), protected: z.boolean() }),
);

// GitHub's list endpoints stop at 100 per page; fewer pages means fewer requests against the rate limit.
const PER_PAGE = 100;

/** Every branch of the repository with its head SHA, following the Link header across pages. */
export async function fetchBranches(options: FetchBranchesOptions): Promise<GitHubBranch[]> {
  const { client, owner, repo } = options;
  const branches: GitHubBranch[] = [];
  try {
    let page: { data: unknown; headers: { link?: string } } = await client.request(
      "GET /repos/{owner}/{repo}/branches",
      { owner, repo, per_page: PER_PAGE },
    );
    for (;;) {
      for (const branch of branchesSchema.parse(page.data)) {
        branches.push({ name: branch.name, headSha: branch.commit.sha, protected: branch.protected });
      }
      const next = nextPageUrl(page.headers.link);
      if (!next) return branches;
      // The next URL is used as GitHub sent it (it may name the repository by id rather than owner/name).
      page = await client.request({ method: "GET", url: next });
    }
  } catch (error) {
    throw mapGitHubError(error, { what: `branches of ${owner}/${repo}`, notFound: "REPOSITORY_NOT_FOUND" });
  }
}

/** The rel="next" target of a Link header: `<https://…?page=2>; rel="next", <https://…?page=5>; rel="last"`. */
function nextPageUrl(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]*)"?/.exec(part.trim());
    if (match?.[2]?.split(/\s+/).includes("next")) return match[1];
  }
  return undefined;
}
