import type { GitHubClient } from "./github-client.js";
import { missingCredentialsError } from "./missing-credentials-error.js";

/**
 * The client to call GitHub with, or MISSING_CREDENTIALS naming the variables that would fix it: a client factory
 * answers null when neither a token nor an app is configured, and a restore runs without any client.
 * @example const github = requireGitHub(await deps.githubFor(repository));
 */
export function requireGitHub(client: GitHubClient | null): GitHubClient {
  if (!client) throw missingCredentialsError();
  return client;
}
