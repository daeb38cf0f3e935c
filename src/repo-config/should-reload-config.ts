import type { Repository } from "../generated/prisma/client.js";
import { REPO_CONFIG_PATH } from "./repo-config-schema.js";

/** The fields of a push that tell whether it may have changed the config. */
export type ConfigPush = {
  /** the pushed branch (without refs/heads/) */
  branch: string;
  created: boolean;
  forced: boolean;
  deleted: boolean;
  commits: { added?: string[]; modified?: string[]; removed?: string[] }[];
};

// GitHub lists at most this many commits in a push payload; a longer push may touch the file in an unlisted one.
const MAX_LISTED_COMMITS = 2048;
// ... and at most this many paths of one commit (added, modified and removed together): a commit listing that many
// may have changed the file without listing it.
const MAX_LISTED_PATHS = 3000;

/**
 * Whether a push must re-read `.github/project-sync.yml` (one request) before it is queued: never read yet, or a
 * push to the default branch that touches the file, replaces history (forced, created), or lists too many commits — or
 * a commit with too many paths — to tell. Every other push uses the stored config and costs no GitHub request.
 */
export function shouldReloadConfig(
  repository: Pick<Repository, "configLoadedAt" | "defaultBranch">,
  push: ConfigPush,
): boolean {
  if (!repository.configLoadedAt) return true;
  if (push.branch !== repository.defaultBranch || push.deleted) return false;
  if (push.created || push.forced || push.commits.length >= MAX_LISTED_COMMITS) return true;
  return push.commits.some((commit) => {
    const lists = [commit.added ?? [], commit.modified ?? [], commit.removed ?? []];
    const listed = lists.reduce((sum, paths) => sum + paths.length, 0);
    return listed >= MAX_LISTED_PATHS || lists.some((paths) => paths.includes(REPO_CONFIG_PATH));
  });
}
