/** One file of a branch's memory as readers see it (CLI --json, REST). */
export type MemoryEntryView = {
  path: string;
  mode: string;
  blobSha: string;
  size: number;
  isBinary: boolean;
  /** why content is not stored: binary, too_large, submodule; null when it is */
  omitted: "binary" | "too_large" | "submodule" | null;
  /** the sync that wrote this version of the file */
  syncId: string;
};

export type MemoryFileView = MemoryEntryView & { content: string | null };

type EntryRow = {
  path: string;
  mode: string;
  blobSha: string;
  syncId: string;
  file: { size: number; isBinary: boolean; omitted: MemoryEntryView["omitted"]; content?: string | null };
};

export const ENTRY_SELECT = {
  path: true,
  mode: true,
  blobSha: true,
  syncId: true,
  file: { select: { size: true, isBinary: true, omitted: true } },
} as const;

export function toEntryView(row: EntryRow): MemoryEntryView {
  return {
    path: row.path,
    mode: row.mode,
    blobSha: row.blobSha,
    size: row.file.size,
    isBinary: row.file.isBinary,
    omitted: row.file.omitted,
    syncId: row.syncId,
  };
}
