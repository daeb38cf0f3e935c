import { composeConfigGet } from "@probot/octokit-plugin-config";
import type { GitHubClient, RepoParams } from "../github/github-client.js";
import { mapGitHubError } from "../github/map-github-error.js";
import { invalidRepoConfig, parseRepoConfig, type RepoConfigState } from "./parse-repo-config.js";
import { REPO_CONFIG_PATH } from "./repo-config-schema.js";

export type LoadRepoConfigOptions = RepoParams & { client: GitHubClient };

type ConfigOctokit = Parameters<typeof composeConfigGet>[0];

const PLUGIN_ERROR = "[@probot/octokit-plugin-config]";

/**
 * Reads `.github/project-sync.yml` from the default branch the way Probot's `context.config` does (the repository's
 * file, else the owner's `.github` repository; `_extends` followed) and validates it. One request when the file
 * exists, two when it does not (the owner's `.github` is tried). An invalid file is a state, not an error; a GitHub
 * failure throws (an AppError), so the caller keeps the stored config.
 * @example const state = await loadRepoConfig({ client: context.octokit, owner: "octo-org", repo: "hello-world" })
 */
export async function loadRepoConfig(options: LoadRepoConfigOptions): Promise<RepoConfigState> {
  const { client, owner, repo } = options;
  let merged: unknown;
  try {
    const result = await composeConfigGet(client as unknown as ConfigOctokit, {
      owner,
      repo,
      path: REPO_CONFIG_PATH,
      // Probot merges shallowly with Object.assign; a list or a scalar where a mapping belongs would merge into junk
      defaults: (files) => mergeFiles(files),
    });
    // no file anywhere: the defaults (stored as null), not an empty file
    merged = result.files.some((file) => file.config !== null) ? result.config : null;
  } catch (error) {
    if (error instanceof NotAMappingError) return invalidRepoConfig(error.message);
    if (isPluginError(error)) return invalidRepoConfig(describePluginError(error));
    throw mapGitHubError(error, { what: `${REPO_CONFIG_PATH} of ${owner}/${repo}` });
  }
  return parseRepoConfig(merged);
}

class NotAMappingError extends Error {}

function mergeFiles(files: unknown[]): Record<string, unknown> {
  for (const file of files) {
    if (typeof file !== "object" || file === null || Array.isArray(file)) {
      throw new NotAMappingError(
        `expected a mapping of settings (branches, paths, maxFileSizeBytes), got ${Array.isArray(file) ? "a list" : typeof file}`,
      );
    }
  }
  // Probot's shallow merge, with own data properties only: Object.assign would run the `__proto__` setter of a
  // file that has such a key and hide the key from validation
  return Object.fromEntries(files.flatMap((file) => Object.entries(file as Record<string, unknown>)));
}

function isPluginError(error: unknown): error is Error {
  return error instanceof Error && error.message.startsWith(PLUGIN_ERROR);
}

/** The plugin's message names the API URL; the YAML parser's cause says where the syntax breaks. */
function describePluginError(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause.message.split("\n")[0]?.trim() : undefined;
  if (error.message.includes("(invalid YAML)")) return `not valid YAML: ${cause ?? "syntax error"}`;
  if (error.message.includes("(YAML is not an object)")) {
    return "expected a mapping of settings (branches, paths, maxFileSizeBytes), got text";
  }
  if (error.message.includes("is either a directory or a submodule")) return "is a directory, not a file";
  return error.message.slice(PLUGIN_ERROR.length).trim();
}
