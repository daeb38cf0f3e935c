import type { Env } from "../config/env.js";
import { AppError } from "../errors.js";
import { type CreateOctokitOptions, createOctokit, type ProjectSyncOctokit } from "./create-octokit.js";
import { githubApiBaseUrl } from "./github-api-base-url.js";
import type { GitHubClient, RepoRef } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";
import { readAppPrivateKey } from "./read-app-private-key.js";

/** The credentials createClientFactory reads (a parsed Env fits). */
export type ClientFactoryEnv = Pick<
  Env,
  "GITHUB_TOKEN" | "APP_ID" | "PRIVATE_KEY" | "PRIVATE_KEY_PATH" | "GHE_HOST" | "GHE_PROTOCOL"
>;

/** Passed on to every Octokit the factory creates (tests turn retry and throttling off). */
export type ClientFactoryOptions = Pick<CreateOctokitOptions, "retry" | "throttle" | "log" | "observe">;

/** The client for a repository; a known `installationId` (from a webhook or the row) saves the installation lookup. */
export type ClientFactory = (
  repository: RepoRef & { installationId?: bigint | number | null },
) => Promise<GitHubClient | null>;

/**
 * ServiceDeps.githubFor from the environment: one client for every repository with GITHUB_TOKEN; with APP_ID and
 * PRIVATE_KEY (or PRIVATE_KEY_PATH) the client of the app's installation on the repository; null with neither.
 * Configuration problems surface on the first call, so commands that never call GitHub still work.
 * @example const githubFor = createClientFactory(loadEnv()); const client = await githubFor({ owner, name });
 */
export function createClientFactory(
  env: ClientFactoryEnv,
  options: ClientFactoryOptions = {},
): ClientFactory {
  if (env.GITHUB_TOKEN) {
    const token = env.GITHUB_TOKEN;
    let client: ProjectSyncOctokit | undefined;
    return async () => {
      client ??= createOctokit({ ...options, auth: token, baseUrl: githubApiBaseUrl(env) });
      return client;
    };
  }
  if (!env.APP_ID && !env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) return async () => null;
  return createAppClientFactory(env, options);
}

function createAppClientFactory(env: ClientFactoryEnv, options: ClientFactoryOptions): ClientFactory {
  let app: Promise<{ appId: string; privateKey: string; jwtClient: ProjectSyncOctokit }> | undefined;
  // Both caches hold promises, so concurrent callers share one lookup and one token exchange.
  const installationIds = new Map<string, Promise<number>>();
  const installationClients = new Map<number, ProjectSyncOctokit>();

  const loadApp = async () => {
    const appId = env.APP_ID;
    if (!appId) {
      throw new AppError(
        "MISSING_CREDENTIALS",
        "PRIVATE_KEY is set but APP_ID is not: set APP_ID to the GitHub App's id, or use GITHUB_TOKEN instead.",
      );
    }
    const privateKey = await readPrivateKey(env);
    const baseUrl = githubApiBaseUrl(env);
    return {
      appId,
      privateKey,
      jwtClient: createOctokit({ ...options, auth: { appId, privateKey }, baseUrl }),
    };
  };

  return async ({ owner, name, installationId: known }) => {
    app ??= loadApp();
    const { appId, privateKey, jwtClient } = await app;
    const key = `${owner}/${name}`.toLowerCase();
    let installationId = installationIds.get(key);
    if (!installationId && known) installationId = Promise.resolve(Number(known));
    if (!installationId) {
      installationId = findInstallationId(jwtClient, owner, name);
      installationIds.set(key, installationId);
      // A failed lookup is not remembered: the app may be installed a minute later.
      installationId.catch(() => installationIds.delete(key));
    }
    const id = await installationId;
    let client = installationClients.get(id);
    if (!client) {
      client = createOctokit({
        ...options,
        auth: { appId, privateKey, installationId: id },
        baseUrl: githubApiBaseUrl(env),
      });
      installationClients.set(id, client);
    }
    return client;
  };
}

async function findInstallationId(
  jwtClient: ProjectSyncOctokit,
  owner: string,
  name: string,
): Promise<number> {
  try {
    const response = await jwtClient.request("GET /repos/{owner}/{repo}/installation", { owner, repo: name });
    return response.data.id;
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) {
      throw new AppError(
        "REPOSITORY_NOT_FOUND",
        `The GitHub App is not installed on ${owner}/${name} (or the repository does not exist): install the app on it, or use GITHUB_TOKEN.`,
        { cause: error },
      );
    }
    throw mapGitHubError(error, { what: `the GitHub App's installation on ${owner}/${name}` });
  }
}

async function readPrivateKey(env: ClientFactoryEnv): Promise<string> {
  const privateKey = await readAppPrivateKey(env);
  if (privateKey) return privateKey;
  throw new AppError(
    "MISSING_CREDENTIALS",
    "APP_ID is set but neither PRIVATE_KEY nor PRIVATE_KEY_PATH is: set one to the GitHub App's private key, or use GITHUB_TOKEN instead.",
  );
}
