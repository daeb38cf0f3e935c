import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import { fetchRepository } from "../github/fetch-repository.js";
import { repoParams } from "../github/github-client.js";
import { requireGitHub } from "../github/require-github.js";
import { parseRepositoryName } from "./parse-repository-name.js";
import type { ServiceDeps } from "./service-deps.js";
import { upsertRepository } from "./upsert-repository.js";

/** A repository memory already knows, by "owner/name" (any case); REPOSITORY_NOT_FOUND otherwise. */
export async function findRepository(deps: Pick<ServiceDeps, "db">, fullName: string): Promise<Repository> {
  const { key } = parseRepositoryName(fullName);
  const repository = await deps.db.repository.findUnique({ where: { key } });
  if (!repository) {
    throw new AppError("REPOSITORY_NOT_FOUND", `${fullName} has never been synced; run a sync of it first.`);
  }
  return repository;
}

/**
 * The repository row for a sync: looked up on GitHub (one request) and upserted by its GitHub id, so a renamed or
 * transferred repository keeps its memory.
 */
export async function ensureRepository(
  deps: Pick<ServiceDeps, "db" | "githubFor">,
  fullName: string,
): Promise<Repository> {
  const repository = parseRepositoryName(fullName);
  const github = requireGitHub(await deps.githubFor(repository));
  const found = await fetchRepository({ client: github, ...repoParams(repository) });
  return upsertRepository(deps, found);
}
