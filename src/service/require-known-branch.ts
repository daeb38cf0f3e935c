import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import type { ServiceDeps } from "./service-deps.js";

/**
 * BRANCH_NOT_FOUND unless memory has recorded a sync of the branch: a misspelt branch is told apart from a branch
 * whose memory is empty.
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
  if (!known) {
    throw new AppError(
      "BRANCH_NOT_FOUND",
      `No sync of branch "${branch}" of ${repository.owner}/${repository.name} was ever recorded; start one first.`,
    );
  }
}
