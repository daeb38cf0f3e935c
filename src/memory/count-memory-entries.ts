import type { Db } from "../db/create-prisma-client.js";
import { memoryStateFilter } from "./read-memory-entries.js";

/** How many files a branch's memory holds now (or as of a past generation). */
export async function countMemoryEntries(
  db: Db,
  options: { repositoryId: string; branch: string; asOfGeneration?: number },
): Promise<number> {
  return db.memoryEntry.count({
    where: {
      repositoryId: options.repositoryId,
      branch: options.branch,
      ...memoryStateFilter(options.asOfGeneration),
    },
  });
}
