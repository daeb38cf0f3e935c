import { listTree } from "../../sim/git/list-tree.js";

/** Every file (blob, symlink) of a commit's tree: path → blob SHA, as memory should hold it. */
export async function listGitTree(gitDir: string, commit: string): Promise<Map<string, string>> {
  const entries = await listTree({ gitDir, treeish: commit, recursive: true, sizes: false });
  return new Map(entries.filter((entry) => entry.type === "blob").map((entry) => [entry.path, entry.sha]));
}
