import type { SyncView } from "../sync/sync-view.js";
import { formatCounts, formatTable, formatTime, printable } from "./format-text.js";

/** `history` without --json: one row per sync, newest first, with the full id to pass to status and restore. */
export function formatHistory(syncs: SyncView[]): string {
  const header = ["ID", "CREATED", "BRANCH", "STATUS", "TRIGGER", "HEAD", "CHANGES"];
  const rows = syncs.map((sync) => [
    sync.id,
    formatTime(sync.createdAt),
    printable(sync.branch),
    sync.status,
    sync.trigger,
    sync.headSha?.slice(0, 7) ?? "-",
    formatCounts(sync.counts),
  ]);
  return formatTable([header, ...rows]);
}
