import type { Db } from "../db/create-prisma-client.js";
import type { MemoryTree } from "./load-memory-tree.js";
import { memoryStateSql } from "./read-memory-entries.js";

export type LoadMemoryFoldersOptions = {
  repositoryId: string;
  branch: string;
  /** folders ("" for the root, "a/b/" below it); only their direct files are read */
  folders: readonly string[];
};

/**
 * The files directly inside some folders of a branch's memory: what a push that touched only those folders needs,
 * filtered in PostgreSQL so a large branch is never shipped whole.
 */
export async function loadMemoryFolders(db: Db, options: LoadMemoryFoldersOptions): Promise<MemoryTree> {
  if (options.folders.length === 0) return new Map();
  const rows = await db.$queryRaw<{ path: string; mode: string; sha: string }[]>`
    SELECT path, mode, "blobSha" AS sha FROM "MemoryEntry" AS m
    WHERE m."repositoryId" = ${options.repositoryId}::uuid AND m.branch = ${options.branch}
      AND ${memoryStateSql()}
      AND EXISTS (
        SELECT 1 FROM unnest(${[...options.folders]}::text[]) AS f(prefix)
        WHERE starts_with(m.path, f.prefix) AND strpos(substr(m.path, length(f.prefix) + 1), '/') = 0
      )`;
  return new Map(rows.map((row) => [row.path, { mode: row.mode, sha: row.sha }]));
}
