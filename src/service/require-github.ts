import type { ClientFactory } from "../github/create-client-factory.js";
import type { GitHubClient } from "../github/github-client.js";
import { missingCredentialsError } from "../github/missing-credentials-error.js";
import type { ServiceDeps } from "./service-deps.js";

/** A GitHub client for the repository, or MISSING_CREDENTIALS when none is configured. */
export async function requireGitHub(
  deps: Pick<ServiceDeps, "githubFor">,
  repository: Parameters<ClientFactory>[0],
): Promise<GitHubClient> {
  const github = await deps.githubFor(repository);
  if (!github) throw missingCredentialsError();
  return github;
}
