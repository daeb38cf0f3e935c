import type { BaseFolder } from "../github/fetch-changed-folders.js";
import { gitTreeSha, type ListedChild } from "../github/listed-trees.js";
import type { MemoryTree } from "../memory/load-memory-tree.js";

/**
 * Every folder of a memory tree ("" for the root, "a/b/" below it) with the git tree SHA git would give it and the
 * entries it holds directly. Memory that is a whole commit's tree (no path filter) gives that commit's folder SHAs, so
 * an unchanged folder is known without asking GitHub; a SHA that differs anyway (a mode git writes unusually) only
 * costs a listing.
 * @example memoryFolderShas(new Map([["a/b.txt", { mode: "100644", sha }]])).get("a/")?.sha
 */
export function memoryFolderShas(memory: MemoryTree): Map<string, BaseFolder> {
  const children = new Map<string, ListedChild[]>([["", []]]);
  const childrenOf = (folder: string) => {
    let list = children.get(folder);
    if (!list) {
      list = [];
      children.set(folder, list);
    }
    return list;
  };
  for (const [path, entry] of memory) {
    const slash = path.lastIndexOf("/");
    const folder = slash < 0 ? "" : path.slice(0, slash + 1);
    const type = entry.mode === "160000" ? "commit" : "blob";
    childrenOf(folder).push({ name: path.slice(slash + 1), mode: entry.mode, type, sha: entry.sha });
  }
  // every ancestor exists even when it holds no file of its own
  for (const folder of [...children.keys()]) {
    for (let at = folder.lastIndexOf("/", folder.length - 2); at >= 0; at = folder.lastIndexOf("/", at - 1)) {
      childrenOf(folder.slice(0, at + 1));
    }
  }
  const folders = new Map<string, BaseFolder>();
  // deepest first: a folder's SHA needs its subfolders'
  const order = [...children.keys()].sort((a, b) => depthOf(b) - depthOf(a));
  for (const folder of order) {
    const list = children.get(folder) as ListedChild[];
    const sha = gitTreeSha(list);
    folders.set(folder, { sha, entries: list.length });
    if (folder === "") continue;
    const slash = folder.lastIndexOf("/", folder.length - 2);
    const parent = slash < 0 ? "" : folder.slice(0, slash + 1);
    childrenOf(parent).push({ name: folder.slice(parent.length, -1), mode: "040000", type: "tree", sha });
  }
  return folders;
}

function depthOf(folder: string): number {
  let depth = 0;
  for (let at = folder.indexOf("/"); at >= 0; at = folder.indexOf("/", at + 1)) depth += 1;
  return depth;
}
