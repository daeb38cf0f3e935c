import { AppError } from "../errors.js";
import { type Comparison, fetchCompare } from "../github/fetch-compare.js";
import { fetchFoldersAt } from "../github/fetch-folders-at.js";
import type { GitHubClient } from "../github/github-client.js";
import { loadMemoryTree } from "../memory/load-memory-tree.js";
import { createYielder } from "./create-yielder.js";
import { folderOf } from "./folder-of.js";
import type { ResolvedTarget, SyncContext, TargetTree } from "./sync-context.js";

/**
 * Phase 1 for a push on top of the synced head, at a cost independent of the repository's size: the compare API
 * names the changed files (one request), one GraphQL query gives the entries — with modes — of the folders holding
 * them, and the rest of the tree is the memory the branch already has. Returns null when the compare cannot be
 * trusted to be complete (a force push, 300 files or more): the caller lists the tree instead.
 * With `baseBranch` (a new branch built on the default branch's synced head) the result is the complete tree: that
 * branch's memory with the compared folders replaced.
 */
export async function resolveByCompare(
  context: SyncContext,
  github: GitHubClient,
  options: {
    base: string;
    head: string;
    knownSubtrees: Map<string, string> | undefined;
    /** the branch whose memory is the tree at `base`, when it is not the synced branch's own */
    baseBranch?: string;
    /** that branch's generation synced at `base`: its memory as of then (it may have moved on since) */
    baseGeneration?: number;
  },
): Promise<ResolvedTarget | null> {
  const { deps, repository } = context;
  const repo = { client: github, owner: repository.owner, repo: repository.name };
  let comparison: Comparison;
  try {
    comparison = await fetchCompare({ ...repo, base: options.base, head: options.head });
  } catch (error) {
    // GitHub answers 404 for histories with no common ancestor, or a base commit that no longer exists; a 5xx for a
    // comparison it could not compute in time. Either way the tree listing (the caller's path) gives the answer.
    if (
      error instanceof AppError &&
      (error.code === "COMMIT_NOT_FOUND" || error.code === "GITHUB_UNAVAILABLE")
    ) {
      deps.log.debug(
        `compare ${options.base.slice(0, 7)}...${options.head.slice(0, 7)} failed (${error.message}); listing the tree`,
      );
      return null;
    }
    throw error;
  }
  // "identical": a branch created at the base commit (files is empty); "behind"/"diverged" name other changes
  if (!["ahead", "identical"].includes(comparison.status) || comparison.files === null) return null;

  const changed = new Set<string>();
  for (const file of comparison.files) {
    changed.add(file.path);
    if (file.previousPath) changed.add(file.previousPath);
  }
  const folders = new Set([...changed].map(folderOf));
  const staleSubtrees = options.knownSubtrees
    ? [...options.knownSubtrees.keys()].filter((prefix) =>
        [...changed].some((path) => path.startsWith(prefix)),
      )
    : [];
  const found = await fetchFoldersAt({
    ...repo,
    commit: options.head,
    folders: [...folders],
    shasOf: staleSubtrees,
  });

  // Every folder the compare touched becomes exactly what GitHub lists; everything else is memory (the tree at `base`).
  const tree: TargetTree = new Map();
  for (const [folder, entries] of found.entries) {
    for (const entry of entries ?? []) {
      if (entry.type === "tree") continue;
      const path = `${folder}${entry.name}`;
      if (deps.pathFilter && !deps.pathFilter(path)) continue;
      tree.set(path, { mode: entry.mode, sha: entry.sha });
    }
  }

  let subtrees: Map<string, string> | null = null;
  if (options.knownSubtrees) {
    subtrees = new Map(options.knownSubtrees);
    for (const [prefix, sha] of found.shas) {
      if (sha) subtrees.set(prefix, sha);
      else subtrees.delete(prefix);
    }
  }
  if (options.baseBranch) {
    const base = await loadMemoryTree(deps.db, {
      repositoryId: repository.id,
      branch: options.baseBranch,
      asOfGeneration: options.baseGeneration,
    });
    const pause = createYielder();
    for (const [path, entry] of base) {
      const turn = pause();
      if (turn) await turn;
      if (folders.has(folderOf(path)) || (deps.pathFilter && !deps.pathFilter(path))) continue;
      tree.set(path, entry);
    }
    return { headSha: options.head, treeSha: found.treeSha, tree, unchanged: false, subtrees };
  }
  return {
    headSha: options.head,
    treeSha: found.treeSha,
    tree,
    unchanged: false,
    subtrees,
    folders: [...folders],
  };
}
