import type { MemoryTree } from "../memory/load-memory-tree.js";
import type { SyncCounts } from "./sync-event.js";

export type FileChange =
  | { change: "added" | "modified" | "removed"; path: string }
  | { change: "renamed"; path: string; previousPath: string };

export type TreeDiff = {
  /** entries to write: added, modified (content or mode) and the new side of renames */
  insert: { path: string; mode: string; blobSha: string }[];
  /** active entries that end: modified, removed and the old side of renames */
  supersede: string[];
  counts: SyncCounts;
  /** every change, sorted by path */
  changes: FileChange[];
};

/**
 * What turns `before` into `after`. A path that disappears while a new path appears with the same blob SHA is a
 * rename (paired in path order, one rename per pair); a mode change alone is a modification.
 */
export function computeTreeDiff(before: MemoryTree, after: MemoryTree): TreeDiff {
  const insert: TreeDiff["insert"] = [];
  const supersede: string[] = [];
  const changes: FileChange[] = [];
  const counts: SyncCounts = { added: 0, modified: 0, removed: 0, renamed: 0, unchanged: 0 };
  const added: string[] = [];

  for (const [path, entry] of after) {
    const previous = before.get(path);
    if (!previous) {
      added.push(path);
    } else if (previous.sha === entry.sha && previous.mode === entry.mode) {
      counts.unchanged += 1;
    } else {
      counts.modified += 1;
      changes.push({ change: "modified", path });
      supersede.push(path);
      insert.push({ path, mode: entry.mode, blobSha: entry.sha });
    }
  }

  const removedBySha = new Map<string, string[]>();
  for (const [path, entry] of [...before].sort(byPath)) {
    if (after.has(path)) continue;
    supersede.push(path);
    const paths = removedBySha.get(entry.sha) ?? [];
    paths.push(path);
    removedBySha.set(entry.sha, paths);
  }

  for (const path of added.sort()) {
    const entry = after.get(path) as { mode: string; sha: string };
    insert.push({ path, mode: entry.mode, blobSha: entry.sha });
    const previousPath = removedBySha.get(entry.sha)?.shift();
    if (previousPath !== undefined) {
      counts.renamed += 1;
      changes.push({ change: "renamed", path, previousPath });
    } else {
      counts.added += 1;
      changes.push({ change: "added", path });
    }
  }
  for (const paths of removedBySha.values()) {
    for (const path of paths) {
      counts.removed += 1;
      changes.push({ change: "removed", path });
    }
  }

  changes.sort((a, b) => byPath([a.path], [b.path]));
  return { insert, supersede, counts, changes };
}

function byPath(a: readonly [string, ...unknown[]], b: readonly [string, ...unknown[]]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
