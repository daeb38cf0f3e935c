import { Prisma, type Repository } from "../generated/prisma/client.js";
import type { GitHubClient } from "../github/github-client.js";
import { repoParams } from "../github/github-client.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { loadRepoConfig } from "./load-repo-config.js";

export type RefreshRepoConfigOptions = { repository: Repository; client: GitHubClient };

/**
 * Reads the repository's config from GitHub and stores it on the row (config, configError, configDigest,
 * configLoadedAt). When GitHub fails, the stored config stays in effect and `configLoadedAt` is left as it was, so a
 * repository whose config was never read is read again at its next event.
 */
export async function refreshRepoConfig(
  deps: Pick<ServiceDeps, "db" | "now" | "log">,
  options: RefreshRepoConfigOptions,
): Promise<Repository> {
  const { repository, client } = options;
  let state: Awaited<ReturnType<typeof loadRepoConfig>>;
  try {
    state = await loadRepoConfig({ client, ...repoParams(repository) });
  } catch (error) {
    deps.log.warn(
      `Could not read the config of ${repository.owner}/${repository.name}; the stored one stays in effect: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return repository;
  }
  if (state.error) deps.log.info(`${repository.owner}/${repository.name}: invalid config: ${state.error}`);
  return deps.db.repository.update({
    where: { id: repository.id },
    data: {
      // Prisma's JSON null is a sentinel; plain objects are stored as they are
      config: state.config ?? Prisma.DbNull,
      configError: state.error,
      configDigest: state.digest,
      configLoadedAt: deps.now(),
    },
  });
}
