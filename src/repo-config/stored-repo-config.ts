import type { Repository } from "../generated/prisma/client.js";
import { type RepoConfig, repoConfigSchema } from "./repo-config-schema.js";

/**
 * The config stored on a repository row (validated when it was read; parsed again here because JSON columns are
 * untyped). null: no file, or a stored value this version does not understand, which then means the defaults.
 */
export function storedRepoConfig(repository: Pick<Repository, "config">): RepoConfig | null {
  if (repository.config === null || repository.config === undefined) return null;
  const parsed = repoConfigSchema.safeParse(repository.config);
  return parsed.success ? parsed.data : null;
}
