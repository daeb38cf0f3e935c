import type { Db } from "../db/create-prisma-client.js";
import { ENTRY_SELECT, type MemoryFileView, toEntryView } from "./memory-entry-view.js";
import { memoryStateFilter } from "./read-memory-entries.js";

export type ReadMemoryFileOptions = {
  repositoryId: string;
  branch: string;
  path: string;
  asOfGeneration?: number;
};

/** One file of a branch's memory with its content, or null when the memory has no such path. */
export async function readMemoryFile(db: Db, options: ReadMemoryFileOptions): Promise<MemoryFileView | null> {
  const row = await db.memoryEntry.findFirst({
    where: {
      repositoryId: options.repositoryId,
      branch: options.branch,
      path: options.path,
      ...memoryStateFilter(options.asOfGeneration),
    },
    select: { ...ENTRY_SELECT, file: { select: { ...ENTRY_SELECT.file.select, content: true } } },
  });
  if (!row) return null;
  return { ...toEntryView(row), content: row.file.content };
}
