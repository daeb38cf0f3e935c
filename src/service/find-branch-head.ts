import type { Repository } from "../generated/prisma/client.js";
import { fetchBranchHead } from "../github/fetch-branch-head.js";
import { repoParams } from "../github/github-client.js";
import { requireGitHub } from "../github/require-github.js";
import type { ServiceDeps } from "./service-deps.js";

/**
 * The commit a branch points at on GitHub now (one request); BRANCH_NOT_FOUND for a branch GitHub does not have, so
 * a request for an unknown branch is refused before anything is written.
 */
export async function findBranchHead(
  deps: Pick<ServiceDeps, "githubFor">,
  repository: Repository,
  branch: string,
): Promise<string> {
  const github = requireGitHub(await deps.githubFor(repository));
  const head = await fetchBranchHead({ client: github, ...repoParams(repository), branch });
  return head.commitSha;
}
