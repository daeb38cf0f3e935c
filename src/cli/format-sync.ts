import type { SyncView } from "../sync/sync-view.js";
import { formatCounts, formatDuration, printable } from "./format-text.js";

/**
 * A sync as aligned "key: value" lines, for `sync`, `status` and `restore` without --json.
 * @example
 * id:         0b6c2f4e-…
 * repository: octo-org/hello-world
 * counts:     +3 ~1 -0 >0 =120
 */
export function formatSync(sync: SyncView): string {
  const lines: [string, string][] = [
    ["id", sync.id],
    ["repository", sync.repository],
    ["branch", printable(sync.branch)],
    ["status", sync.status],
    ["trigger", sync.trigger],
    ...(sync.restoredFromSyncId ? [["restored from", sync.restoredFromSyncId] as [string, string]] : []),
    ["head", sync.headSha ?? "-"],
    ["base", sync.baseSha ?? "-"],
    ["previous", sync.previousSyncId ?? "-"],
    ["counts", formatCounts(sync.counts)],
    ["fetched", `${sync.stats.filesFetched} files, ${sync.stats.bytesFetched} bytes`],
    ["requests", String(sync.stats.githubRequests)],
    ["duration", durationOf(sync)],
    ...(sync.status === "succeeded" ? [["searchable", searchableOf(sync)] as [string, string]] : []),
    ["error", sync.error ? printable(`${sync.error.code}: ${sync.error.message}`) : "-"],
  ];
  const width = Math.max(...lines.map(([key]) => key.length)) + 1;
  return lines.map(([key, value]) => `${`${key}:`.padEnd(width)} ${value}\n`).join("");
}

/** "2.1 s after it finished" (the search index's lag), or "indexing…" */
function searchableOf(sync: SyncView): string {
  if (!sync.searchableAt || !sync.finishedAt) return "indexing (search scans what is not indexed yet)";
  return `${formatDuration(Math.max(0, Date.parse(sync.searchableAt) - Date.parse(sync.finishedAt)))} after it finished`;
}

function durationOf(sync: SyncView): string {
  if (!sync.startedAt) return sync.status === "queued" ? "(queued)" : "-";
  if (!sync.finishedAt) return "(running)";
  return formatDuration(Date.parse(sync.finishedAt) - Date.parse(sync.startedAt));
}
