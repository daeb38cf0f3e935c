import type { MemoryDifference, MemoryFileSide } from "../memory/diff-memory-states.js";
import { comparePaths } from "./compare-paths.js";
import { type DetectRenamesOptions, detectRenames, type RenameSide } from "./detect-renames.js";
import { similarityPercent } from "./estimate-similarity.js";

/** What happened to a path, in git's terms: A, D, M (content or mode: `mode`), T (`type`), R. */
export const CHANGE_STATUSES = ["added", "removed", "modified", "mode", "type", "renamed"] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** One changed path between two memory states; a rename is listed at its new path. */
export type FileChange = {
  status: ChangeStatus;
  path: string;
  /** renamed: the path it came from */
  previousPath: string | null;
  /** renamed: git's similarity percent (100 for the same blob) */
  similarity: number | null;
  old: MemoryFileSide | null;
  new: MemoryFileSide | null;
};

export type ChangeTotals = Record<ChangeStatus, number>;

export type ComparedStates = {
  /** every change, sorted by path in byte order */
  changes: FileChange[];
  totals: ChangeTotals;
  /** whether renames were looked for among edited files too (as git does), or why only exact ones were */
  renames: { inexact: boolean; reason: string | null };
};

export type CompareStatesOptions = {
  differences: readonly MemoryDifference[];
  loadSignatures: DetectRenamesOptions["loadSignatures"];
  renameLimit?: number;
};

/**
 * The changes between two memory states as `git diff -M` names them: removed and added paths paired into renames
 * (exact, then similar content), the rest added, removed, modified, `mode` (only the mode changed) or `type` (file,
 * symlink and submodule changed into one another).
 */
export async function compareStates(options: CompareStatesOptions): Promise<ComparedStates> {
  const removed = options.differences.filter((difference) => difference.new === null);
  const added = options.differences.filter((difference) => difference.old === null);
  const { renames, inexact } = await detectRenames({
    sources: removed.map((difference) => renameSide(difference.path, difference.old)),
    destinations: added.map((difference) => renameSide(difference.path, difference.new)),
    loadSignatures: options.loadSignatures,
    renameLimit: options.renameLimit,
  });
  const renamedFrom = new Set(renames.map((rename) => removed[rename.source]?.path));
  const renamedTo = new Set(renames.map((rename) => added[rename.destination]?.path));
  const changes: FileChange[] = [];
  for (const difference of options.differences) {
    if (renamedFrom.has(difference.path) && difference.new === null) continue;
    if (renamedTo.has(difference.path) && difference.old === null) continue;
    changes.push({ ...difference, status: statusOf(difference), previousPath: null, similarity: null });
  }
  for (const rename of renames) {
    const from = removed[rename.source] as MemoryDifference;
    const to = added[rename.destination] as MemoryDifference;
    changes.push({
      status: "renamed",
      path: to.path,
      previousPath: from.path,
      similarity: similarityPercent(rename.score),
      old: from.old,
      new: to.new,
    });
  }
  changes.sort((a, b) => comparePaths(a.path, b.path));
  const totals = Object.fromEntries(CHANGE_STATUSES.map((status) => [status, 0])) as ChangeTotals;
  for (const change of changes) totals[change.status] += 1;
  return { changes, totals, renames: { inexact: inexact.complete, reason: inexact.reason } };
}

function renameSide(path: string, side: MemoryFileSide | null): RenameSide {
  const file = side as MemoryFileSide;
  return { path, mode: file.mode, sha: file.blobSha, size: file.size, hasContent: file.omitted === null };
}

function statusOf(difference: MemoryDifference): ChangeStatus {
  if (difference.old === null) return "added";
  if (difference.new === null) return "removed";
  if (kindOf(difference.old.mode) !== kindOf(difference.new.mode)) return "type";
  return difference.old.blobSha === difference.new.blobSha ? "mode" : "modified";
}

function kindOf(mode: string): "symlink" | "submodule" | "file" {
  if (mode === "120000") return "symlink";
  if (mode === "160000") return "submodule";
  return "file";
}
