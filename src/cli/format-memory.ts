import type { MemoryEntryView } from "../memory/memory-entry-view.js";
import { printable } from "./format-text.js";

// Fixed widths, so a listing of any size streams page by page without measuring it first.
const SIZE_WIDTH = 10;

export const MEMORY_HEADER = `MODE    ${"SIZE".padStart(SIZE_WIDTH)}  PATH\n`;

/** Rows of `memory` without --json: mode, size in bytes, path. */
export function formatMemoryRows(entries: MemoryEntryView[]): string {
  return entries
    .map(
      (entry) =>
        `${entry.mode.padEnd(6)}  ${String(entry.size).padStart(SIZE_WIDTH)}  ${printable(entry.path)}\n`,
    )
    .join("");
}
