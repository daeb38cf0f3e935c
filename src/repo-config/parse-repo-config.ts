import { createHash } from "node:crypto";
import type { z } from "zod";
import { formatZodIssues } from "../format-zod-issues.js";
import { REPO_CONFIG_PATH, type RepoConfig, repoConfigSchema } from "./repo-config-schema.js";

/** A repository config as the Repository row stores it (`config`, `configError`, `configDigest`). */
export type RepoConfigState = {
  /** the normalised config; null when there is no file or it is invalid */
  config: RepoConfig | null;
  /** why the file is invalid, with the key path (`paths.include.0: expected string`); null when valid or absent */
  error: string | null;
  /** sha256 of the normalised config when it changes anything; null for the defaults and for an invalid file */
  digest: string | null;
};

/** No file: every branch, every path, the server's size cap. */
export const DEFAULT_REPO_CONFIG_STATE: RepoConfigState = { config: null, error: null, digest: null };

/**
 * Validates a parsed config file (null: no file) and normalises it: globs sorted and de-duplicated (their order means
 * nothing), empty `exclude` dropped, so two files that mean the same have the same digest.
 * @example parseRepoConfig({ paths: { include: [1] } }).error // "paths.include.0: Invalid input: expected string, received number"
 */
export function parseRepoConfig(raw: unknown): RepoConfigState {
  if (raw === null || raw === undefined) return DEFAULT_REPO_CONFIG_STATE;
  const parsed = repoConfigSchema.safeParse(raw);
  if (!parsed.success) return { config: null, error: formatIssues(parsed.error), digest: null };
  const config = normaliseRepoConfig(parsed.data);
  return { config, error: null, digest: digestRepoConfig(config) };
}

/** An invalid file, as the state to store: the message says which file and what to fix. */
export function invalidRepoConfig(problem: string): RepoConfigState {
  return { config: null, error: `${REPO_CONFIG_PATH}: ${problem}`, digest: null };
}

function normaliseRepoConfig(config: RepoConfig): RepoConfig {
  const normalised: RepoConfig = {};
  if (config.branches) normalised.branches = sortedUnique(config.branches);
  const include = config.paths?.include;
  const exclude = config.paths?.exclude?.length ? config.paths.exclude : undefined;
  if (include || exclude) {
    normalised.paths = {
      ...(include ? { include: sortedUnique(include) } : {}),
      ...(exclude ? { exclude: sortedUnique(exclude) } : {}),
    };
  }
  if (config.maxFileSizeBytes !== undefined) normalised.maxFileSizeBytes = config.maxFileSizeBytes;
  return normalised;
}

/** null when the config changes nothing, so a repository with an empty file is synced like one without. */
function digestRepoConfig(config: RepoConfig): string | null {
  if (Object.keys(config).length === 0) return null;
  // keys in a fixed order: normaliseRepoConfig builds them in this order
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function formatIssues(error: z.ZodError): string {
  return `${REPO_CONFIG_PATH}: ${formatZodIssues(error.issues, { limit: 5 })}`;
}
