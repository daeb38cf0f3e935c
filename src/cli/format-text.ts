import type { SyncCounts } from "../sync/sync-event.js";

// C0 and C1 control characters: a path or message from GitHub must not move the cursor or recolour the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text from outside (paths, branch names, error messages) made safe to print on a terminal. */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** "+added ~modified -removed >renamed =unchanged" */
export function formatCounts(counts: SyncCounts): string {
  return `+${counts.added} ~${counts.modified} -${counts.removed} >${counts.renamed} =${counts.unchanged}`;
}

/** 850 ms, 12.3 s, 4 min 05 s */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/** 2024-05-01 12:34:56Z: an ISO time without milliseconds, readable in a table */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** Rows as columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function formatTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join("  "),
    )
    .map((line) => `${line}\n`)
    .join("");
}
