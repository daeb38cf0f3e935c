import type { Db } from "../db/create-prisma-client.js";
import type { RepositoryMemorySize } from "./count-repository-memory.js";

/**
 * Deletes a repository's whole memory (every entry of every branch, every stored file) and says how much it was.
 * Entries go first: they reference the files, and that reference is RESTRICT. Call it inside the purge transaction.
 */
export async function deleteRepositoryMemory(
  tx: Pick<Db, "memoryEntry" | "repositoryFile">,
  repositoryId: string,
): Promise<RepositoryMemorySize> {
  const entries = await tx.memoryEntry.deleteMany({ where: { repositoryId } });
  const files = await tx.repositoryFile.deleteMany({ where: { repositoryId } });
  return { entries: entries.count, files: files.count };
}
