import type { Principal } from "../auth/principal.js";
import { AppError } from "../errors.js";
import type { RepositoryAccess } from "../github/fetch-user-repositories.js";
import type { ApiDeps } from "./api-deps.js";

/** The GitHub ids of the repositories a person can read; undefined (no filter) for the operator and the laptop. */
export async function readableIds(deps: ApiDeps, principal: Principal): Promise<number[] | undefined> {
  if (principal.kind !== "person") return undefined;
  const repositories = await accessOf(deps).repositories(principal.userId);
  return repositories.map((repository) => repository.githubId);
}

/**
 * Throws unless the principal may do `need` on the repository (people: asked of GitHub at this moment for write and
 * admin). A repository without a GitHub id yet is the operator's alone.
 */
export async function requireAccess(
  deps: ApiDeps,
  principal: Principal,
  repository: { githubId: bigint | null },
  need: RepositoryAccess,
): Promise<void> {
  if (principal.kind !== "person") return;
  if (repository.githubId === null)
    throw new AppError("REPOSITORY_NOT_FOUND", "No such repository among those you can read.");
  await accessOf(deps).require(principal, Number(repository.githubId), need);
}

function accessOf(deps: ApiDeps) {
  if (!deps.userAccess)
    throw new AppError("INTERNAL", "A signed-in person reached the API without sign-in set up.");
  return deps.userAccess;
}
