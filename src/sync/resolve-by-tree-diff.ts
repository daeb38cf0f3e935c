import { fetchChangedFolders } from "../github/fetch-changed-folders.js";
import type { GitHubClient } from "../github/github-client.js";
import { createYielder } from "./create-yielder.js";
import { folderOf } from "./folder-of.js";
import { memoryFolderShas } from "./memory-folder-shas.js";
import type { ResolvedTarget, SyncContext, TargetTree } from "./sync-context.js";

/**
 * Phase 1 for a push into a large tree that the compare API cannot describe (300 files or more, a force push): the
 * branch's memory is the tree at the synced head, so its folder SHAs are known without asking; the head's tree is
 * walked from the root through GraphQL, listing only folders whose SHA differs (fetchChangedFolders). The result is
 * the whole tree: memory with the folders listed, and the memory's folders that are gone at the head, replaced. Only without a path filter: filtered memory is not a whole tree, and its folder SHAs would not match.
 */
export async function resolveByTreeDiff(
  context: SyncContext,
  github: GitHubClient,
  options: { head: string; knownSubtrees: Map<string, string> | undefined },
): Promise<ResolvedTarget> {
  const { repository } = context;
  const memory = await context.memoryTree();
  const base = memoryFolderShas(memory);
  const found = await fetchChangedFolders({
    client: github,
    owner: repository.owner,
    repo: repository.name,
    commit: options.head,
    base,
  });

  // A memory folder is gone when its parent was listed (or is gone) and did not hold it as a folder any more.
  const gone = new Set<string>();
  for (const folder of [...base.keys()].sort()) {
    if (folder === "" || found.listed.has(folder)) continue;
    const parent = parentOf(folder);
    if ((found.listed.has(parent) && !found.folders.has(folder)) || gone.has(parent)) gone.add(folder);
  }
  // The whole tree: memory (already read, for its SHAs) but in the folders listed or gone, then what GitHub listed.
  // Hundreds of folders are quicker to replace here than to select in PostgreSQL (see `folders` of resolveByCompare).
  const tree: TargetTree = new Map();
  const pause = createYielder();
  for (const [path, entry] of memory) {
    const turn = pause();
    if (turn) await turn;
    const folder = folderOf(path);
    if (!found.listed.has(folder) && !gone.has(folder)) tree.set(path, entry);
  }
  for (const [folder, entries] of found.listed) {
    for (const entry of entries) {
      if (entry.type !== "tree") tree.set(`${folder}${entry.name}`, { mode: entry.mode, sha: entry.sha });
    }
  }

  let subtrees: Map<string, string> | null = null;
  if (options.knownSubtrees) {
    subtrees = new Map(options.knownSubtrees);
    for (const prefix of options.knownSubtrees.keys()) {
      const sha = found.folders.get(prefix);
      if (sha) subtrees.set(prefix, sha);
      else if (gone.has(prefix)) subtrees.delete(prefix);
    }
  }
  return { headSha: options.head, treeSha: found.treeSha, tree, unchanged: false, subtrees };
}

/** "a/b/" → "a/", "a/" → "" */
function parentOf(folder: string): string {
  const slash = folder.lastIndexOf("/", folder.length - 2);
  return slash < 0 ? "" : folder.slice(0, slash + 1);
}
