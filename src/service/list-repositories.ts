import { AppError } from "../errors.js";
import type { RepositoryAccess } from "../github/fetch-user-repositories.js";
import { type SyncView, toSyncView } from "../sync/sync-view.js";
import type { ServiceDeps } from "./service-deps.js";

/** A repository memory knows, with its default branch's most recent sync. */
export type RepositoryView = {
  owner: string;
  name: string;
  /** "owner/name" */
  fullName: string;
  defaultBranch: string;
  private: boolean;
  /** false once the app was uninstalled from it (memory stays readable until purged) */
  active: boolean;
  /** the default branch's most recent sync, whatever its status; null before the first */
  lastSync: SyncView | null;
  /** what a signed-in person may do on it (their GitHub access; `read` through a read-only token); null: everything */
  access: RepositoryAccess | null;
};

export type ListRepositoriesOptions = {
  /** default 50, at most 500 */
  limit?: number;
  /** the previous page's `nextCursor` (a repository's lower-case "owner/name") */
  cursor?: string;
  /** only these repositories (GitHub ids): what a signed-in person can read; absent: every repository */
  githubIds?: readonly number[];
  /** a signed-in person's access by GitHub id, reported on each repository listed; absent: `access` is null */
  access?: ReadonlyMap<number, RepositoryAccess>;
};

/** Every repository memory knows, by name (case-insensitive order), a page at a time. */
export async function listRepositories(
  deps: Pick<ServiceDeps, "db">,
  options: ListRepositoriesOptions = {},
): Promise<{ repos: RepositoryView[]; nextCursor: string | null }> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new AppError("BAD_INPUT", "limit must be a whole number from 1 to 500.");
  }
  const rows = await deps.db.repository.findMany({
    where: {
      ...(options.cursor === undefined ? {} : { key: { gt: options.cursor } }),
      ...(options.githubIds === undefined ? {} : { githubId: { in: options.githubIds.map(BigInt) } }),
    },
    orderBy: { key: "asc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const latest =
    page.length === 0
      ? []
      : await deps.db.projectSync.findMany({
          where: {
            OR: page.map((repository) => ({ repositoryId: repository.id, branch: repository.defaultBranch })),
          },
          distinct: ["repositoryId"],
          orderBy: [{ repositoryId: "asc" }, { createdAt: "desc" }, { id: "desc" }],
          include: { repository: { select: { owner: true, name: true } } },
        });
  const lastSync = new Map(latest.map((sync) => [sync.repositoryId, toSyncView(sync)]));
  return {
    repos: page.map((repository) => ({
      owner: repository.owner,
      name: repository.name,
      fullName: `${repository.owner}/${repository.name}`,
      defaultBranch: repository.defaultBranch,
      private: repository.isPrivate,
      active: repository.active,
      lastSync: lastSync.get(repository.id) ?? null,
      access: accessOf(options.access, repository.githubId),
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.key ?? null) : null,
  };
}

function accessOf(
  access: ReadonlyMap<number, RepositoryAccess> | undefined,
  githubId: bigint | null,
): RepositoryAccess | null {
  if (!access) return null;
  // listed for a person but not in their map (renamed since): the least, so no action is offered that GitHub refuses
  return (githubId === null ? undefined : access.get(Number(githubId))) ?? "read";
}
