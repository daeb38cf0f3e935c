import { runGit } from "./run-git.js";

/** One entry of `git ls-tree -l`: a file, symlink, submodule or (with trees shown) a directory. */
export type GitTreeEntry = {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** blob size in bytes; undefined for trees and submodules */
  size: number | undefined;
};

export type ListTreeOptions = {
  gitDir: string;
  /** a tree-ish: tree or commit SHA */
  treeish: string;
  /** every entry below the tree, trees included (`-r -t`), as GitHub's recursive listing does */
  recursive: boolean;
  /** read blob sizes (`-l`); costs one object lookup per blob */
  sizes?: boolean;
};

/**
 * A tree's entries in git's order (a directory right before its contents), parsed from NUL-separated output so
 * paths with spaces, newlines or non-ASCII characters come through exactly.
 * @example const entries = await listTree({ gitDir, treeish: commitSha, recursive: true });
 */
export async function listTree(options: ListTreeOptions): Promise<GitTreeEntry[]> {
  const { gitDir, treeish, recursive, sizes = true } = options;
  const args = ["ls-tree", "-z", ...(sizes ? ["-l"] : []), ...(recursive ? ["-r", "-t"] : []), treeish];
  const { stdout } = await runGit(gitDir, args);
  return parseLsTree(stdout);
}

/** Parses `<mode> SP <type> SP <sha> [SP+ <size>] TAB <path> NUL` records. */
export function parseLsTree(output: Buffer): GitTreeEntry[] {
  // One decode of the whole output and a split is much faster than decoding each record on its own.
  const records = output.toString("utf8").split("\0");
  const entries: GitTreeEntry[] = [];
  for (const record of records) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    // The header is ASCII: "100644 blob <40 hex>" then, with -l, spaces and the size or "-".
    const typeStart = record.indexOf(" ") + 1;
    const typeEnd = record.indexOf(" ", typeStart);
    const sizeText = record.slice(typeEnd + 41, tab).trim();
    entries.push({
      path: record.slice(tab + 1),
      mode: record.slice(0, typeStart - 1),
      type: record.slice(typeStart, typeEnd) as GitTreeEntry["type"],
      sha: record.slice(typeEnd + 1, typeEnd + 41),
      size: sizeText === "" || sizeText === "-" ? undefined : Number(sizeText),
    });
  }
  return entries;
}
