import type { Db } from "../db/create-prisma-client.js";

/**
 * One step of the search indexer: marks up to `limit` stored text blobs `searchIndexed`, which puts them into the
 * trigram index — in a transaction of its own, never a sync's: memory is readable before it is indexed, and search scans
 * what is not indexed yet. Processes sharing the database take different blobs (SKIP LOCKED). Returns how many.
 *
 * A repository whose first or full sync is running is left for later: that sync is writing up to its whole tree's
 * text, and indexing it meanwhile made both compete for the same cores and disk (on 2 cores, a first sync of 100,000
 * files in the running app took minutes instead of the tens of seconds it takes alone). Such a sync ends, so the
 * repository's blobs are indexed right after; an ordinary push never holds indexing back.
 * @example while ((await indexSearchBacklog(db, { limit: 500 })) === 500);
 */
export async function indexSearchBacklog(db: Db, options: { limit: number }): Promise<number> {
  return db.$executeRaw`
    WITH batch AS (
      SELECT "repositoryId", sha FROM "RepositoryFile"
      WHERE NOT "searchIndexed" AND content IS NOT NULL
        AND "repositoryId" NOT IN (
          SELECT s."repositoryId" FROM "ProjectSync" s
          WHERE s.status = 'running'
            AND (s."full" OR NOT EXISTS (
              SELECT 1 FROM "ProjectSync" done
              WHERE done."repositoryId" = s."repositoryId" AND done.status = 'succeeded'
            ))
        )
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

/**
 * Refreshes the planner's statistics of the tables search reads once the indexer put many blobs into the index: the
 * share indexed since they were last gathered is over a tenth (or they were never gathered, as after a first sync).
 * Without them the planner takes a freshly synced repository for a small one and checks the literal on every blob
 * instead of asking the trigram index (autovacuum would gather them too, but only on its own schedule).
 */
export async function refreshSearchStatistics(db: Db, indexed: number): Promise<boolean> {
  const rows = await db.$queryRaw<{ tuples: number }[]>`
    SELECT reltuples::float8 AS tuples FROM pg_class WHERE oid = '"RepositoryFile"'::regclass`;
  const tuples = rows[0]?.tuples ?? -1;
  if (tuples >= 0 && indexed <= tuples / 10) return false;
  await db.$executeRaw`ANALYZE "RepositoryFile", "MemoryEntry"`;
  return true;
}
