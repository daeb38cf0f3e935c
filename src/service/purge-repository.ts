import { AppError } from "../errors.js";
import { countRepositoryMemory } from "../memory/count-repository-memory.js";
import { deleteRepositoryMemory } from "../memory/delete-repository-memory.js";
import { findRepository } from "./find-repository.js";
import type { ServiceDeps } from "./service-deps.js";

export type PurgeCounts = { syncs: number; entries: number; files: number };

export type PurgeResult = {
  /** "owner/name" */
  repository: string;
  deleted: PurgeCounts;
};

export type PurgePreview = {
  repository: string;
  /** still installed: the app would sync it again, so a purge needs `force` */
  active: boolean;
  wouldDelete: PurgeCounts;
};

// Deleting the history of a large repository (millions of entries) is one long transaction.
const PURGE_TIMEOUT_MS = 30 * 60_000;

/** What purging a repository would delete, without deleting anything. */
export async function previewPurge(deps: Pick<ServiceDeps, "db">, fullName: string): Promise<PurgePreview> {
  const repository = await findRepository(deps, fullName);
  const [syncs, memory] = await Promise.all([
    deps.db.projectSync.count({ where: { repositoryId: repository.id } }),
    countRepositoryMemory(deps.db, repository.id),
  ]);
  return {
    repository: `${repository.owner}/${repository.name}`,
    active: repository.active,
    wouldDelete: { syncs, ...memory },
  };
}

/**
 * Deletes a repository's memory and history: its files, every entry of every branch, its syncs and their events, and
 * the repository row. Refused (CONFLICT) while the app is still installed on it, unless `force`, and always while a
 * sync of it runs. The repository row and its syncs are locked first, so no sync can be claimed or queued meanwhile.
 */
export async function purgeRepository(
  deps: Pick<ServiceDeps, "db">,
  fullName: string,
  options: { force?: boolean } = {},
): Promise<PurgeResult> {
  const found = await findRepository(deps, fullName);
  const name = `${found.owner}/${found.name}`;
  return deps.db.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ active: boolean }[]>`
        SELECT active FROM "Repository" WHERE id = ${found.id}::uuid FOR UPDATE`;
      const repository = locked[0];
      if (!repository) throw new AppError("REPOSITORY_NOT_FOUND", `${name} was purged meanwhile.`);
      if (repository.active && !options.force) {
        throw new AppError(
          "CONFLICT",
          `${name} is still installed, so the app would sync it again: uninstall the GitHub App from it first, or pass --force.`,
        );
      }
      const syncs = await tx.$queryRaw<{ id: string; branch: string; status: string }[]>`
        SELECT id::text, branch, status::text FROM "ProjectSync" WHERE "repositoryId" = ${found.id}::uuid FOR UPDATE`;
      const running = syncs.find((sync) => sync.status === "running");
      if (running) {
        throw new AppError(
          "CONFLICT",
          `Sync ${running.id} of ${name} (branch ${running.branch}) is running; wait for it to finish, then purge.`,
        );
      }
      const memory = await deleteRepositoryMemory(tx, found.id);
      await tx.projectSync.deleteMany({ where: { repositoryId: found.id } });
      await tx.repository.delete({ where: { id: found.id } });
      return { repository: name, deleted: { syncs: syncs.length, ...memory } };
    },
    { timeout: PURGE_TIMEOUT_MS, maxWait: 10_000 },
  );
}
