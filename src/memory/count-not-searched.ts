import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { type SearchScope, scopeSql } from "./find-search-candidates.js";

/** The paths of a search scope that no search reads, by reason. */
export type NotSearched = { binary: number; tooLarge: number; submodule: number; symlink: number };

const rowSchema = z.object({
  reason: z.string().nullable(),
  total: z.coerce.number(),
  submodules: z.coerce.number(),
});

/**
 * How many paths of the scope a search does not read: files stored without text (binary, over the size cap),
 * submodules, and symlinks (whose text is a path, not content — `git grep` skips them too). Read from the few blobs
 * without text (each looked up in the entries by its SHA) and the symlinks' own index, never from every entry.
 */
export async function countNotSearched(db: Db, scope: SearchScope): Promise<NotSearched> {
  const scoped = scopeSql(scope);
  const rows = await db.$queryRaw<unknown[]>`
    SELECT f.omitted::text AS reason, sum(n.total) AS total, sum(n.submodules) AS submodules
    FROM "RepositoryFile" f
    CROSS JOIN LATERAL (
      SELECT count(*) AS total, count(*) FILTER (WHERE e.mode = '160000') AS submodules
      FROM "MemoryEntry" e
      WHERE e."repositoryId" = f."repositoryId" AND e."blobSha" = f.sha AND e.mode <> '120000' AND ${scoped}
    ) n
    WHERE f."repositoryId" = ${scope.repositoryId}::uuid AND f.content IS NULL
    GROUP BY f.omitted
    UNION ALL
    SELECT 'symlink', count(*), 0 FROM "MemoryEntry" e
    WHERE e."repositoryId" = ${scope.repositoryId}::uuid AND e.mode = '120000' AND ${scoped}`;
  const counts: NotSearched = { binary: 0, tooLarge: 0, submodule: 0, symlink: 0 };
  for (const row of rows.map((raw) => rowSchema.parse(raw))) {
    counts.submodule += row.submodules;
    const others = row.total - row.submodules;
    if (row.reason === "binary") counts.binary += others;
    else if (row.reason === "too_large") counts.tooLarge += others;
    else if (row.reason === "symlink") counts.symlink += others;
  }
  return counts;
}
