import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import type { SyncRunOptions } from "../queue/sync-worker.js";
import { compileGlobs } from "./compile-globs.js";
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
  if (include || exclude) {
    const included = include ? compileGlobs(include) : () => true;
    const excluded = exclude ? compileGlobs(exclude) : () => false;
    options.pathFilter = (path) => included(path) && !excluded(path);
  }
  if (config?.maxFileSizeBytes !== undefined) options.maxFileSizeBytes = config.maxFileSizeBytes;
  return options;
}
