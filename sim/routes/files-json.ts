import type { GitChange } from "../git/diff-trees.js";
import type { SimRepository } from "../sim-repository.js";
import { repositoryApiUrl, type SimulatorState } from "../simulator-state.js";

/** GitHub lists at most this many files in a commit or comparison. */
export const MAX_FILES = 300;

/** The SHA of git's empty tree: the base of a root commit's diff. */
export const EMPTY_TREE_SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

const STATUS: Record<GitChange["status"], string> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

const ZERO_SHA = /^0+$/;

/** The `files` of a commit or comparison: first MAX_FILES changes; line counts are not computed (always 0). */
export function filesJson(
  sim: SimulatorState,
  repository: SimRepository,
  headSha: string,
  changes: GitChange[],
) {
  const api = repositoryApiUrl(sim, repository);
  const html = `${sim.url}/${repository.owner}/${repository.name}`;
  return changes.slice(0, MAX_FILES).map((change) => {
    const sha = ZERO_SHA.test(change.newSha) ? change.oldSha : change.newSha;
    const encoded = change.path.split("/").map(encodeURIComponent).join("/");
    return {
      sha,
      filename: change.path,
      status: STATUS[change.status],
      additions: 0,
      deletions: 0,
      changes: 0,
      blob_url: `${html}/blob/${headSha}/${encoded}`,
      raw_url: `${html}/raw/${headSha}/${encoded}`,
      contents_url: `${api}/contents/${encoded}?ref=${headSha}`,
      ...(change.previousPath !== undefined ? { previous_filename: change.previousPath } : {}),
    };
  });
}
