import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import { compileGlobs } from "../glob/compile-globs.js";
import type { SyncRunOptions } from "../sync/sync-run-options.js";
import { storedRepoConfig } from "./stored-repo-config.js";

/**
 * What a sync of the repository applies from its config: the path filter (`paths.include` / `paths.exclude`, globs
 * with `dot: true`), the size cap and the config's digest. An invalid config throws CONFIG_INVALID, which fails the
 * sync unstarted with the validation message.
 * @example runOptionsFor(repository).pathFilter?.("src/index.ts")
 */
export function runOptionsFor(
  repository: Pick<Repository, "config" | "configError" | "configDigest">,
): SyncRunOptions {
  if (repository.configError) throw new AppError("CONFIG_INVALID", repository.configError);
  const config = storedRepoConfig(repository);
  const options: SyncRunOptions = { configDigest: repository.configDigest };
  const include = config?.paths?.include;
  const exclude = config?.paths?.exclude;
  if (include || exclude) options.pathFilter = pathFilterFor(repository.configDigest, include, exclude);
  if (config?.maxFileSizeBytes !== undefined) options.maxFileSizeBytes = config.maxFileSizeBytes;
  return options;
}

// Compiled filters by config digest: their automata learn a repository's paths once, not once per sync.
const filters = new Map<string, (path: string) => boolean>();
const MAX_FILTERS = 32;

function pathFilterFor(
  digest: string | null,
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
): (path: string) => boolean {
  const key = `${digest ?? ""}\n${JSON.stringify([include ?? null, exclude ?? null])}`;
  const known = filters.get(key);
  if (known) {
    filters.delete(key);
    filters.set(key, known); // most recently used last
    return known;
  }
  const included = include ? compileGlobs(include) : () => true;
  const excluded = exclude ? compileGlobs(exclude) : () => false;
  const filter = (path: string) => included(path) && !excluded(path);
  filters.set(key, filter);
  if (filters.size > MAX_FILTERS) filters.delete(filters.keys().next().value as string);
  return filter;
}
