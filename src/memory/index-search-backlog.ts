import type { Db } from "../db/create-prisma-client.js";

/**
 * One step of the search indexer: marks up to `limit` stored text blobs `searchIndexed`, which puts them into the
 * trigram index — in a transaction of its own, never a sync's: memory is readable before it is indexed, and search scans
 * what is not indexed yet. Processes sharing the database take different blobs (SKIP LOCKED). Returns how many.
 * @example while ((await indexSearchBacklog(db, { limit: 500 })) === 500);
 */
export async function indexSearchBacklog(db: Db, options: { limit: number }): Promise<number> {
  return db.$executeRaw`
    WITH batch AS (
      SELECT "repositoryId", sha FROM "RepositoryFile"
      WHERE NOT "searchIndexed" AND content IS NOT NULL
      LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "RepositoryFile" f SET "searchIndexed" = true
    FROM batch WHERE f."repositoryId" = batch."repositoryId" AND f.sha = batch.sha`;
}

/**
 * The repositories with stored text not in the search index yet (another process may be indexing it right now), as
 * of `at` (the database's clock): whatever was committed before `at` in any other repository is indexed.
 */
export async function readSearchBacklog(db: Db): Promise<{ at: Date; repositoryIds: string[] }> {
  const rows = await db.$queryRaw<{ at: Date; ids: string[] | null }[]>`
    SELECT statement_timestamp() AS at,
      (SELECT array_agg(DISTINCT "repositoryId"::text) FROM "RepositoryFile"
        WHERE NOT "searchIndexed" AND content IS NOT NULL) AS ids`;
  const row = rows[0];
  return { at: row?.at ?? new Date(), repositoryIds: row?.ids ?? [] };
}
