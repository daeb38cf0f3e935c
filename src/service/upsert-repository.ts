import type { Repository } from "../generated/prisma/client.js";
import type { GitHubRepository } from "../github/fetch-repository.js";
import type { ServiceDeps } from "./service-deps.js";

export type UpsertRepositoryOptions = GitHubRepository & {
  /** the app's installation on it (webhooks, reconcile); absent: left as it is (the CLI with a token) */
  installationId?: number;
};

type Fields = Pick<
  Repository,
  "key" | "owner" | "name" | "defaultBranch" | "isPrivate" | "active" | "deactivatedAt"
> & { installationId?: bigint | null };

// Serialises the rare writes that change a repository's key (renames), across processes.
const REPOSITORY_KEY_LOCK = 0x5245_504f;

/**
 * The Repository row of a GitHub repository, by GitHub id (a renamed or transferred repository keeps its memory):
 * names, default branch and installation refreshed, active again if it had been uninstalled. Written only when
 * something changed (a burst of pushes would otherwise write and lock the row once per delivery). A name another row
 * still holds — that repository was renamed or deleted, and this one took its old name, or two were swapped — is moved
 * aside from the stale row in the same transaction, so neither is refused: the stale row gets its real name back when
 * GitHub next mentions it.
 */
export async function upsertRepository(
  deps: Pick<ServiceDeps, "db">,
  options: UpsertRepositoryOptions,
): Promise<Repository> {
  const data: Fields = {
    key: `${options.owner}/${options.name}`.toLowerCase(),
    owner: options.owner,
    name: options.name,
    defaultBranch: options.defaultBranch,
    isPrivate: options.isPrivate,
    active: true,
    deactivatedAt: null,
    ...(options.installationId === undefined ? {} : { installationId: BigInt(options.installationId) }),
  };
  const githubId = BigInt(options.githubId);
  const stored = await deps.db.repository.findUnique({ where: { githubId } });
  if (stored && unchanged(stored, data)) return stored;
  return deps.db.$transaction(async (tx) => {
    if (stored?.key !== data.key) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${REPOSITORY_KEY_LOCK}::int)`;
      // the stale holder of the name: its key becomes one no real name has (GitHub names have no '#')
      await tx.$executeRaw`
        UPDATE "Repository" SET key = key || '#' || COALESCE("githubId"::text, id::text), "updatedAt" = now()
        WHERE key = ${data.key} AND "githubId" IS DISTINCT FROM ${githubId}`;
    }
    return tx.repository.upsert({ where: { githubId }, create: { githubId, ...data }, update: data });
  });
}

function unchanged(stored: Repository, data: Fields): boolean {
  return (Object.keys(data) as (keyof Fields)[]).every((key) => stored[key] === data[key]);
}
