import { listTree } from "../sim/git/list-tree.js";

/**
 * Every entry memory should hold for a commit (files, symlinks, submodules; not folders): path → "<mode> <sha>", the
 * form the benches compare memory with.
 */
export async function listGitFiles(gitDir: string, commit: string): Promise<Map<string, string>> {
  const entries = await listTree({ gitDir, treeish: commit, recursive: true, sizes: false });
  return new Map(
    entries
      .filter((entry) => entry.type !== "tree")
      .map((entry) => [entry.path, `${entry.mode} ${entry.sha}`]),
  );
}
