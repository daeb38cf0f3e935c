import { type GitChange, parseRawFields } from "./diff-trees.js";
import { runGit } from "./run-git.js";

/**
 * Each commit's changes from its first parent (a root commit's from nothing), with rename detection, from one
 * `git diff-tree --stdin`: a push of 2,048 commits would otherwise start 2,048 processes.
 * @example const changes = await diffCommits(gitDir, [{ sha, parent }]); changes.get(sha)
 */
export async function diffCommits(
  gitDir: string,
  commits: readonly { sha: string; parent: string | null }[],
): Promise<Map<string, GitChange[]>> {
  const result = new Map<string, GitChange[]>();
  if (commits.length === 0) return result;
  // "<commit> <parent>" compares with that parent only (a merge's first); "<commit>" alone is a root, with --root.
  const input = commits.map(({ sha, parent }) => (parent ? `${sha} ${parent}\n` : `${sha}\n`)).join("");
  const { stdout } = await runGit(
    gitDir,
    ["diff-tree", "--stdin", "--always", "--root", "-r", "-M", "-z", "--raw"],
    { input },
  );
  // Each commit's SHA (--always: even without changes), then its records; paths are consumed by the record parser.
  const fields = stdout.toString("utf8").split("\0");
  let index = 0;
  while (index < fields.length) {
    const sha = fields[index] ?? "";
    index += 1;
    if (sha === "") continue;
    const parsed = parseRawFields(fields, index);
    result.set(sha, parsed.changes);
    index = parsed.next;
  }
  return result;
}
