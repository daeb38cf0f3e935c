import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import { closeNames } from "./close-names.js";
import { findRepository } from "./find-repository.js";
import type { ServiceDeps } from "./service-deps.js";

// the branches compared with a misspelt name: enough for any repository a person names branches in by hand
const MAX_KNOWN_BRANCHES = 2000;

/**
 * BRANCH_NOT_FOUND unless memory has recorded a sync of the branch: a misspelt branch is told apart from a branch
 * whose memory is empty. The message names the recorded branches closest to the one asked for.
 */
export async function requireKnownBranch(
  deps: Pick<ServiceDeps, "db">,
  repository: Repository,
  branch: string,
): Promise<void> {
  const known = await deps.db.projectSync.findFirst({
    where: { repositoryId: repository.id, branch },
    select: { id: true },
  });
  if (known) return;
  const recorded = await deps.db.projectSync.findMany({
    where: { repositoryId: repository.id },
    distinct: ["branch"],
    select: { branch: true },
    orderBy: { branch: "asc" },
    take: MAX_KNOWN_BRANCHES,
  });
  const close = closeNames(
    branch,
    recorded.map((row) => row.branch),
  );
  const hint = close.length > 0 ? ` Did you mean ${close.map((name) => `"${name}"`).join(" or ")}?` : "";
  throw new AppError(
    "BRANCH_NOT_FOUND",
    `No sync of branch "${branch}" of ${repository.owner}/${repository.name} was ever recorded; start one first.${hint}`,
  );
}

/**
 * A repository memory knows, by "owner/name", and — when a branch is named — that branch's recorded memory:
 * REPOSITORY_NOT_FOUND or BRANCH_NOT_FOUND (with the closest names) before anything is read. Every door (REST, MCP)
 * resolves what a request names through this.
 */
export async function findRepositoryWithBranch(
  deps: Pick<ServiceDeps, "db">,
  fullName: string,
  branch: string | undefined,
): Promise<Repository> {
  const repository = await findRepository(deps, fullName);
  if (branch !== undefined) await requireKnownBranch(deps, repository, branch);
  return repository;
}
