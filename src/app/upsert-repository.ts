import type { z } from "zod";
import type { Repository } from "../generated/prisma/client.js";
import type { GitHubRepository } from "../github/fetch-repository.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { payloadRepositorySchema } from "./webhook-schemas.js";

export type UpsertRepositoryOptions = GitHubRepository & { installationId: number };

/**
 * The Repository row of a repository the app is installed on, by GitHub id (a renamed or transferred repository keeps
 * its memory): names, default branch and installation refreshed, and active again if it had been uninstalled.
 */
export async function upsertRepository(
  deps: Pick<ServiceDeps, "db">,
  options: UpsertRepositoryOptions,
): Promise<Repository> {
  const data = {
    key: `${options.owner}/${options.name}`.toLowerCase(),
    owner: options.owner,
    name: options.name,
    defaultBranch: options.defaultBranch,
    isPrivate: options.isPrivate,
    installationId: BigInt(options.installationId),
    active: true,
    deactivatedAt: null,
  };
  const githubId = BigInt(options.githubId);
  // A burst of pushes to one repository would otherwise write (and lock) its row once per delivery.
  const stored = await deps.db.repository.findUnique({ where: { githubId } });
  if (stored && unchanged(stored, data)) return stored;
  return deps.db.repository.upsert({ where: { githubId }, create: { githubId, ...data }, update: data });
}

function unchanged(
  stored: Repository,
  data: Omit<
    Repository,
    | "id"
    | "githubId"
    | "config"
    | "configError"
    | "configDigest"
    | "configLoadedAt"
    | "createdAt"
    | "updatedAt"
  >,
): boolean {
  return (Object.keys(data) as (keyof typeof data)[]).every((key) => stored[key] === data[key]);
}

/** A webhook payload's `repository` in the shape upsertRepository takes. */
export function fromPayloadRepository(
  repository: z.infer<typeof payloadRepositorySchema>,
  installationId: number,
): UpsertRepositoryOptions {
  return {
    githubId: repository.id,
    owner: repository.owner.login,
    name: repository.name,
    defaultBranch: repository.default_branch,
    isPrivate: repository.private,
    installationId,
  };
}
