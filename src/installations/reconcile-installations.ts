import { fetchInstallationRepositories } from "../github/fetch-installation-repositories.js";
import { fetchInstallations } from "../github/fetch-installations.js";
import type { GitHubRepository } from "../github/fetch-repository.js";
import type { GitHubClient } from "../github/github-client.js";
import type { ProjectSyncAppDeps } from "../handlers/project-sync-app-deps.js";
import { requestSync } from "../handlers/request-sync.js";
import { upsertRepository } from "../service/upsert-repository.js";
import { catchUpBranches } from "./catch-up-branches.js";
import { deactivateRepositories } from "./deactivate-repositories.js";

export type ReconcileInstallationsOptions = {
  /** a client authenticated as the app (JWT): lists installations */
  appClient: () => Promise<GitHubClient>;
  /** a client of one installation: lists its repositories */
  installationClient: (installationId: number) => Promise<GitHubClient>;
};

export type ReconcileResult = {
  installations: number;
  repositories: number;
  /** syncs queued for repositories never synced */
  queued: number;
  /** syncs queued for pushes and branch deletions missed while the app did not hear from GitHub */
  caughtUp: number;
  /** repositories no longer accessible, now inactive */
  deactivated: number;
};

/**
 * Catches up with what this app missed (down, or not yet deployed): every repository of every installation is
 * upserted, those never synced get a first sync, those synced get their missed pushes caught up (catchUpBranches),
 * and installed repositories no longer accessible become inactive. Costs 1 + pages requests, plus one branch listing
 * per synced repository (and an installation token each, and a config read per new repository). Run at start-up and
 * every few hours.
 */
export async function reconcileInstallations(
  deps: ProjectSyncAppDeps,
  options: ReconcileInstallationsOptions,
): Promise<ReconcileResult> {
  const installations = await fetchInstallations(await options.appClient());
  const accessible: bigint[] = [];
  const unknown: bigint[] = [];
  let queued = 0;
  let caughtUp = 0;
  for (const installation of installations) {
    if (installation.suspended_at) continue;
    let repositories: GitHubRepository[];
    let client: GitHubClient;
    try {
      client = await options.installationClient(installation.id);
      repositories = await fetchInstallationRepositories(client, installation.id);
    } catch (error) {
      // its repositories are neither confirmed nor deactivated this time
      unknown.push(BigInt(installation.id));
      deps.service.log.warn(
        `Reconcile: repositories of installation ${installation.id} not listed: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    for (const found of repositories) {
      accessible.push(BigInt(found.githubId));
      // one repository's failure (its row, its branches) is logged; the others are still reconciled
      try {
        const repository = await upsertRepository(deps.service, {
          ...found,
          installationId: installation.id,
        });
        if (await queueFirstSync(deps, client, repository)) queued += 1;
        else caughtUp += await catchUpQuietly(deps, client, repository);
      } catch (error) {
        deps.service.log.warn(
          `Reconcile: ${found.owner}/${found.name} skipped this time: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
  const lost = await deps.service.db.repository.findMany({
    where: {
      active: true,
      installationId: { not: null, notIn: unknown },
      githubId: { notIn: accessible },
    },
    select: { githubId: true },
  });
  const githubIds = lost.flatMap((repository) =>
    repository.githubId === null ? [] : [Number(repository.githubId)],
  );
  const deactivated = await deactivateRepositories(deps.service, {
    githubIds,
    reason: "no longer given access",
  });
  return {
    installations: installations.length,
    repositories: accessible.length,
    queued,
    caughtUp,
    deactivated: deactivated.length,
  };
}

/** catchUpBranches for one repository; a failure is logged and leaves the other repositories to be reconciled. */
async function catchUpQuietly(
  deps: ProjectSyncAppDeps,
  client: GitHubClient,
  repository: Awaited<ReturnType<typeof upsertRepository>>,
): Promise<number> {
  try {
    return await catchUpBranches(deps, client, repository);
  } catch (error) {
    deps.service.log.warn(
      `Reconcile: branches of ${repository.owner}/${repository.name} not compared: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 0;
  }
}

async function queueFirstSync(
  deps: ProjectSyncAppDeps,
  client: GitHubClient,
  found: Awaited<ReturnType<typeof upsertRepository>>,
): Promise<boolean> {
  const synced = await deps.service.db.projectSync.findFirst({
    where: { repositoryId: found.id },
    select: { id: true },
  });
  if (synced) return false;
  const requested = await requestSync(deps, {
    repository: { stored: found },
    client,
    sync: (repository) => ({
      trigger: "reconcile",
      // two processes reconciling at once queue one sync
      deliveryId: `reconcile:${repository.githubId}`,
      ...(repository.configError ? {} : { checkRun: true }),
    }),
  });
  return requested.outcome === "recorded" && requested.recorded.created;
}
