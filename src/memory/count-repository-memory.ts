import type { Db } from "../db/create-prisma-client.js";

export type RepositoryMemorySize = {
  /** memory entries of every branch, superseded ones included (the history) */
  entries: number;
  /** stored git objects (content, or why it is omitted) */
  files: number;
};

/** How much a repository's memory holds, all branches and all history. */
export async function countRepositoryMemory(
  db: Pick<Db, "memoryEntry" | "repositoryFile">,
  repositoryId: string,
): Promise<RepositoryMemorySize> {
  const [entries, files] = await Promise.all([
    db.memoryEntry.count({ where: { repositoryId } }),
    db.repositoryFile.count({ where: { repositoryId } }),
  ]);
  return { entries, files };
}
