import type { Prisma } from "../generated/prisma/client.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { cancelQueuedSyncs } from "../sync-record/cancel-queued-syncs.js";

export type DeactivateRepositoriesOptions = {
  /** which repositories: by installation, by GitHub ids, or both (either matches) */
  installationId?: number;
  githubIds?: number[];
  /** why, for the cancelled syncs' error: "uninstalled", "suspended", "no longer accessible" */
  reason: string;
};

/**
 * The app lost access (uninstalled, repositories removed, suspended): the repositories become inactive and their
 * queued syncs are cancelled, with check runs `skipped` since the app can no longer write them. Memory stays
 * readable until purged; a running sync is left to the worker (its next GitHub request fails).
 * @returns the ids of the repositories deactivated
 */
export async function deactivateRepositories(
  deps: Pick<ServiceDeps, "db" | "now" | "log">,
  options: DeactivateRepositoriesOptions,
): Promise<string[]> {
  const match: Prisma.RepositoryWhereInput[] = [];
  if (options.installationId !== undefined) match.push({ installationId: BigInt(options.installationId) });
  if (options.githubIds?.length) match.push({ githubId: { in: options.githubIds.map((id) => BigInt(id)) } });
  if (match.length === 0) return [];
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    const repositories = await tx.repository.findMany({
      where: { OR: match },
      select: { id: true, key: true },
    });
    const ids = repositories.map((repository) => repository.id);
    if (ids.length === 0) return [];
    await tx.repository.updateMany({
      where: { id: { in: ids }, active: true },
      data: { active: false, deactivatedAt: now },
    });
    // GitHub no longer lets the app write those check runs (or reactions): nothing is left to report
    const { length: count } = await cancelQueuedSyncs(tx, {
      where: { repositoryId: { in: ids } },
      now,
      errorCode: "FORBIDDEN",
      error: `Cancelled: the GitHub App was ${options.reason}; install it on the repository again to sync it.`,
      checkRuns: "skip",
    });
    deps.log.info(
      `${repositories.map((repository) => repository.key).join(", ")} inactive (${options.reason})${
        count > 0 ? `; ${count} queued sync(s) cancelled` : ""
      }`,
    );
    return ids;
  });
}
