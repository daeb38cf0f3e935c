import type { Db } from "../db/create-prisma-client.js";

/**
 * Records when succeeded syncs became fully searchable: every sync that finished by `at` in a repository with no search
 * backlog at `at` (readSearchBacklog). Not a state transition: `searchableAt` measures the search index's lag.
 */
export async function markSyncsSearchable(
  db: Db,
  backlog: { at: Date; repositoryIds: readonly string[] },
): Promise<number> {
  return db.projectSync
    .updateMany({
      where: {
        status: "succeeded",
        searchableAt: null,
        finishedAt: { lte: backlog.at },
        repositoryId: { notIn: [...backlog.repositoryIds] },
      },
      data: { searchableAt: backlog.at },
    })
    .then((result) => result.count);
}
