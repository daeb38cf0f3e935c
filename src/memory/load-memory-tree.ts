import type { Db } from "../db/create-prisma-client.js";
import { memoryStateSql } from "./read-memory-entries.js";

/** A branch's memory reduced to what a diff needs: path → mode and blob SHA. */
export type MemoryTree = Map<string, { mode: string; sha: string }>;

export type LoadMemoryTreeOptions = { repositoryId: string; branch: string; asOfGeneration?: number };

/** The whole of a branch's memory in one raw query (a diff reads every path; Prisma's row mapping doubles the time). */
export async function loadMemoryTree(db: Db, options: LoadMemoryTreeOptions): Promise<MemoryTree> {
  const rows = await db.$queryRaw<{ path: string; mode: string; sha: string }[]>`
    SELECT path, mode, "blobSha" AS sha FROM "MemoryEntry"
    WHERE "repositoryId" = ${options.repositoryId}::uuid AND branch = ${options.branch}
      AND ${memoryStateSql(options.asOfGeneration)}`;
  return new Map(rows.map((row) => [row.path, { mode: row.mode, sha: row.sha }]));
}
