import type { SyncTrigger } from "../generated/prisma/enums.js";
import { createLimiter } from "../github/create-limiter.js";
import { fetchRepository } from "../github/fetch-repository.js";
import type { GitHubClient } from "../github/github-client.js";
import type { ProjectSyncAppDeps } from "../handlers/project-sync-app-deps.js";
import { requestSync } from "../handlers/request-sync.js";

/** Repositories synced at once after an installation (each costs a few GitHub requests before its sync is queued). */
const CONCURRENCY = 4;

export type SyncInstalledRepositoriesOptions = {
  /** the installation's client */
  client: GitHubClient;
  installationId: number;
  /** "owner/name" of each repository */
  fullNames: string[];
  /** the delivery that installed them: each repository's sync is recorded as `${deliveryId}:${githubId}` */
  deliveryId: string;
  trigger?: Extract<SyncTrigger, "install" | "reconcile">;
};

/**
 * The app was installed on repositories: each one's row (default branch from GitHub), config, and a first sync of
 * its default branch (when the config tracks it), four repositories at a time. One repository's failure is logged
 * and does not stop the others.
 */
export async function syncInstalledRepositories(
  deps: ProjectSyncAppDeps,
  options: SyncInstalledRepositoriesOptions,
): Promise<void> {
  const limit = createLimiter(CONCURRENCY);
  await Promise.all(
    options.fullNames.map((fullName) =>
      limit(async () => {
        try {
          await syncInstalledRepository(deps, options, fullName);
        } catch (error) {
          deps.service.log.warn(
            `First sync of ${fullName} not queued: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }),
    ),
  );
}

async function syncInstalledRepository(
  deps: ProjectSyncAppDeps,
  options: SyncInstalledRepositoriesOptions,
  fullName: string,
): Promise<void> {
  const [owner = "", repo = ""] = fullName.split("/");
  const { client } = options;
  const found = await fetchRepository({ client, owner, repo });
  const requested = await requestSync(deps, {
    repository: { upsert: { ...found, installationId: options.installationId } },
    client,
    reloadConfig: "always",
    sync: (repository) => ({
      trigger: options.trigger ?? "install",
      deliveryId: `${options.deliveryId}:${found.githubId}`,
      // no head yet (the worker resolves it): an invalid config has no commit to put a failing check run on
      ...(repository.configError ? {} : { checkRun: true }),
    }),
  });
  if (requested.outcome === "untracked") {
    deps.service.log.info(`${fullName}: the config does not track ${requested.branch}; nothing synced`);
  }
}
