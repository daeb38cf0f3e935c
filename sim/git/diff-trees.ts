import { runGit } from "./run-git.js";

/** One changed path between two tree-ish, as `git diff-tree --raw` reports it. */
export type GitChange = {
  /** A added, D deleted, M modified, R renamed, C copied, T type changed (file ↔ symlink ↔ submodule) */
  status: "A" | "D" | "M" | "R" | "C" | "T";
  path: string;
  /** the old path of a rename or copy */
  previousPath?: string;
  oldMode: string;
  newMode: string;
  oldSha: string;
  newSha: string;
};

/**
 * The changes from `base` to `head` with rename detection, NUL-separated so any path survives.
 * @example const changes = await diffTrees({ gitDir, base: mergeBase, head });
 */
export async function diffTrees(options: {
  gitDir: string;
  base: string;
  head: string;
}): Promise<GitChange[]> {
  const { gitDir, base, head } = options;
  const { stdout } = await runGit(gitDir, [
    "diff-tree",
    "-r",
    "-M",
    "--no-commit-id",
    "-z",
    "--raw",
    base,
    head,
  ]);
  return parseRawDiff(stdout);
}

/** Parses `:<old mode> <new mode> <old sha> <new sha> <status>[score] NUL <path> NUL [<new path> NUL]` records. */
export function parseRawDiff(output: Buffer): GitChange[] {
  return parseRawFields(output.toString("utf8").split("\0"), 0).changes;
}

/**
 * Parses raw records from NUL-separated fields, starting at `start`, up to the first field that is not a record
 * (with `diff-tree --stdin`, the next commit's SHA) or the end; returns the changes and where parsing stopped.
 */
export function parseRawFields(
  fields: readonly string[],
  start: number,
): { changes: GitChange[]; next: number } {
  const changes: GitChange[] = [];
  let index = start;
  while (index < fields.length) {
    const header = fields[index] ?? "";
    if (!header.startsWith(":")) break;
    index += 1;
    const [oldMode = "", newMode = "", oldSha = "", newSha = "", statusField = ""] = header
      .slice(1)
      .split(" ");
    const status = statusField.charAt(0) as GitChange["status"];
    const first = fields[index] ?? "";
    index += 1;
    if (status === "R" || status === "C") {
      const second = fields[index] ?? "";
      index += 1;
      changes.push({ status, path: second, previousPath: first, oldMode, newMode, oldSha, newSha });
    } else {
      changes.push({ status, path: first, oldMode, newMode, oldSha, newSha });
    }
  }
  return { changes, next: index };
}
