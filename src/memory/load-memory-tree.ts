import type { Db } from "../db/create-prisma-client.js";
import { memoryStateFilter } from "./read-memory-entries.js";

/** A branch's memory reduced to what a diff needs: path → mode and blob SHA. */
export type MemoryTree = Map<string, { mode: string; sha: string }>;

export type LoadMemoryTreeOptions = { repositoryId: string; branch: string; asOfGeneration?: number };

export async function loadMemoryTree(db: Db, options: LoadMemoryTreeOptions): Promise<MemoryTree> {
  const rows = await db.memoryEntry.findMany({
    where: {
      repositoryId: options.repositoryId,
      branch: options.branch,
      ...memoryStateFilter(options.asOfGeneration),
    },
    select: { path: true, mode: true, blobSha: true },
  });
  return new Map(rows.map((row) => [row.path, { mode: row.mode, sha: row.blobSha }]));
}
