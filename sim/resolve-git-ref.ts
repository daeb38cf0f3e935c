import { type GitCommitInfo, parseCommit } from "./git/parse-commit.js";
import type { SimRepository } from "./sim-repository.js";

const HEX = /^[0-9a-f]{4,40}$/i;

/** The head of a branch held in memory, accepting `name`, `heads/name` and `refs/heads/name`. */
export function branchHead(repository: SimRepository, ref: string): string | undefined {
  const name = ref.replace(/^(?:refs\/)?heads\//, "");
  return (
    repository.branches.get(name) ??
    (ref === "HEAD" ? repository.branches.get(repository.defaultBranch) : undefined)
  );
}

/**
 * The commit a ref names, as GitHub resolves `{ref}`: a branch (from the simulator's in-memory heads, never the
 * repository's own refs, so a deleted branch is gone), a full or abbreviated SHA, or a tag. Null when nothing matches.
 */
export async function resolveCommitSha(repository: SimRepository, ref: string): Promise<string | null> {
  const branch = branchHead(repository, ref);
  if (branch) return branch;
  if (HEX.test(ref)) return (await repository.git.read(`${ref.toLowerCase()}^{commit}`))?.sha ?? null;
  const tag = ref.replace(/^(?:refs\/)?tags\//, "");
  return (await repository.git.read(`refs/tags/${tag}^{commit}`))?.sha ?? null;
}

/** A commit's parsed object, cached by SHA; null when the SHA names no commit. */
export async function readCommitInfo(repository: SimRepository, sha: string): Promise<GitCommitInfo | null> {
  const cached = repository.commits.get(sha);
  if (cached) return cached;
  const object = await repository.git.read(sha);
  if (object?.type !== "commit") return null;
  const commit = parseCommit(object.sha, object.content);
  repository.commits.set(object.sha, commit);
  return commit;
}

/** The tree a tree-ish names: a tree SHA itself, or the tree of a commit SHA or branch (as GitHub's trees API does). */
export async function resolveTreeSha(repository: SimRepository, treeish: string): Promise<string | null> {
  if (/^[0-9a-f]{40}$/i.test(treeish)) {
    const object = await repository.git.read(`${treeish.toLowerCase()}^{tree}`);
    if (object) return object.sha;
  }
  const commitSha = await resolveCommitSha(repository, treeish);
  if (!commitSha) return null;
  return (await readCommitInfo(repository, commitSha))?.tree ?? null;
}
