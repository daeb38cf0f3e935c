import type { SyncComparison, SyncFileChange } from "../service/compare-syncs.js";
import type { SyncView } from "../sync/sync-view.js";
import { cutText } from "./result-cap.js";

/** A sync as an agent needs it: which, what state, which commit, when; the rest is get-sync detail. */
export function briefSync(sync: SyncView | null) {
  if (!sync) return null;
  return {
    id: sync.id,
    branch: sync.branch,
    status: sync.status,
    headSha: sync.headSha,
    trigger: sync.trigger,
    createdAt: sync.createdAt,
    finishedAt: sync.finishedAt,
    ...(sync.error ? { error: sync.error } : {}),
  };
}

// one file's diff in a tool result: a longer one is cut at a line (the whole answer has MAX_RESULT_CHARS)
const MAX_PATCH_CHARS = 20_000;

/** A changed path as an agent reads it: status, path (and where from), and its diff when asked for. */
export function briefChange(change: SyncFileChange) {
  const patch = change.patch;
  const cut = patch?.text ? cutText(patch.text, MAX_PATCH_CHARS) : null;
  return {
    status: change.status,
    path: change.path,
    ...(change.previousPath ? { previousPath: change.previousPath, similarity: change.similarity } : {}),
    ...(patch
      ? {
          diff: cut?.text ?? null,
          ...(patch.omitted ? { diffOmitted: patch.omitted } : {}),
          ...(patch.truncated || cut?.cut ? { diffTruncated: true } : {}),
        }
      : {}),
  };
}

/** The comparison's frame without its page of changes. */
export function comparisonFrame(comparison: SyncComparison) {
  const ref = (side: SyncComparison["to"] | null) =>
    side && { syncId: side.id, branch: side.branch, headSha: side.headSha };
  return {
    repository: comparison.repository,
    from: ref(comparison.from),
    to: ref(comparison.to),
    path: comparison.path,
    totals: comparison.totals,
  };
}
