import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { type SearchScope, scopeSql } from "./find-search-candidates.js";

/** The paths of a search scope that no search reads, by reason. */
export type NotSearched = { binary: number; tooLarge: number; submodule: number; symlink: number };

const rowSchema = z.object({ reason: z.string().nullable(), total: z.coerce.number() });

/**
 * How many paths of the scope a search does not read: files stored without text (binary, over the size cap),
 * submodules, and symlinks (whose text is a path, not content — `git grep` skips them too).
 */
export async function countNotSearched(db: Db, scope: SearchScope): Promise<NotSearched> {
  const scoped = scopeSql(scope);
  const rows = await db.$queryRaw<unknown[]>`
    SELECT reason, count(*) AS total FROM (
      SELECT CASE WHEN e.mode = '160000' THEN 'submodule' ELSE f.omitted::text END AS reason
      FROM "RepositoryFile" f
      JOIN "MemoryEntry" e ON e."repositoryId" = f."repositoryId" AND e."blobSha" = f.sha
      WHERE f."repositoryId" = ${scope.repositoryId}::uuid AND f.content IS NULL AND e.mode <> '120000'
        AND ${scoped}
      UNION ALL
      SELECT 'symlink' FROM "MemoryEntry" e
      WHERE e."repositoryId" = ${scope.repositoryId}::uuid AND e.mode = '120000' AND ${scoped}
    ) reasons GROUP BY reason`;
  const counts: NotSearched = { binary: 0, tooLarge: 0, submodule: 0, symlink: 0 };
  for (const row of rows.map((raw) => rowSchema.parse(raw))) {
    if (row.reason === "binary") counts.binary += row.total;
    else if (row.reason === "too_large") counts.tooLarge += row.total;
    else if (row.reason === "submodule") counts.submodule += row.total;
    else if (row.reason === "symlink") counts.symlink += row.total;
  }
  return counts;
}
