import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";

/** One path a sync changed; a rename names the path it came from. */
export type SyncChange =
  | { change: "added" | "modified" | "removed"; path: string }
  | { change: "renamed"; path: string; previousPath: string };

export type SyncChangeTotals = { added: number; modified: number; removed: number; renamed: number };

export type SyncChanges = {
  /** the first `limit` changes, sorted by path (a rename by its new path) */
  changes: SyncChange[];
  /** every change of the sync, however many were listed */
  totals: SyncChangeTotals;
};

const rowSchema = z.object({
  changes: z
    .array(
      z.object({
        change: z.enum(["added", "modified", "removed", "renamed"]),
        path: z.string(),
        previousPath: z.string().nullable(),
      }),
    )
    .nullable(),
  totals: z.record(z.string(), z.coerce.number()).nullable(),
});

const MAX_LIMIT = 1000;

/**
 * The paths one sync changed, read from memory: entries it created and entries it superseded. Added: created only;
 * modified: both; removed: superseded only; renamed: a removed and an added path with the same blob SHA, paired in
 * path order like the sync's diff. One query; only the sync's own entries are read (indexes on syncId and
 * supersededBySyncId), never the branch.
 * @example const { changes, totals } = await listSyncChanges(db, { syncId, limit: 100 });
 */
export async function listSyncChanges(
  db: Db,
  options: { syncId: string; limit?: number },
): Promise<SyncChanges> {
  const limit = Math.max(0, Math.min(options.limit ?? 100, MAX_LIMIT));
  const rows = await db.$queryRaw<unknown[]>`
    WITH created AS (
      SELECT path, "blobSha" AS sha FROM "MemoryEntry" WHERE "syncId" = ${options.syncId}::uuid
    ), retired AS (
      SELECT path, "blobSha" AS sha FROM "MemoryEntry" WHERE "supersededBySyncId" = ${options.syncId}::uuid
    ), joined AS (
      SELECT COALESCE(c.path, r.path) AS path, c.sha AS new_sha, r.sha AS old_sha
      FROM created c FULL JOIN retired r ON c.path = r.path
    ), added AS (
      SELECT path, new_sha AS sha, row_number() OVER (PARTITION BY new_sha ORDER BY path COLLATE "C") AS n
      FROM joined WHERE old_sha IS NULL
    ), removed AS (
      SELECT path, old_sha AS sha, row_number() OVER (PARTITION BY old_sha ORDER BY path COLLATE "C") AS n
      FROM joined WHERE new_sha IS NULL
    ), renames AS (
      SELECT a.path, r.path AS previous_path FROM added a JOIN removed r ON a.sha = r.sha AND a.n = r.n
    ), items AS (
      SELECT 'modified' AS change, path, NULL::text AS previous_path
        FROM joined WHERE new_sha IS NOT NULL AND old_sha IS NOT NULL
      UNION ALL
      SELECT 'added', a.path, NULL FROM added a WHERE NOT EXISTS (SELECT 1 FROM renames x WHERE x.path = a.path)
      UNION ALL
      SELECT 'removed', r.path, NULL FROM removed r
        WHERE NOT EXISTS (SELECT 1 FROM renames x WHERE x.previous_path = r.path)
      UNION ALL
      SELECT 'renamed', path, previous_path FROM renames
    )
    SELECT
      (SELECT json_agg(json_build_object('change', change, 'path', path, 'previousPath', previous_path)
                       ORDER BY path COLLATE "C")
         FROM (SELECT * FROM items ORDER BY path COLLATE "C" LIMIT ${limit}) page) AS changes,
      (SELECT json_object_agg(change, total) FROM (SELECT change, count(*) AS total FROM items GROUP BY change) t)
        AS totals`;
  const row = rowSchema.parse(rows[0]);
  const totals = row.totals ?? {};
  return {
    changes: (row.changes ?? []).map((item) =>
      item.change === "renamed"
        ? { change: "renamed", path: item.path, previousPath: item.previousPath ?? "" }
        : { change: item.change, path: item.path },
    ),
    totals: {
      added: totals.added ?? 0,
      modified: totals.modified ?? 0,
      removed: totals.removed ?? 0,
      renamed: totals.renamed ?? 0,
    },
  };
}
