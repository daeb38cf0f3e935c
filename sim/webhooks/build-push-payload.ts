import { diffCommits } from "../git/diff-commits.js";
import type { GitChange } from "../git/diff-trees.js";
import type { GitCommitInfo } from "../git/parse-commit.js";
import { runGit } from "../git/run-git.js";
import { readCommitInfo } from "../resolve-git-ref.js";
import type { SimRepository } from "../sim-repository.js";
import type { SimulatorState } from "../simulator-state.js";
import { repositoryPayload } from "./repository-payload.js";

const ZERO_SHA = "0".repeat(40);
// GitHub's push payload lists at most this many commits: the newest ones, oldest first.
const MAX_PAYLOAD_COMMITS = 2048;
// Paths (added, removed and modified together) listed per commit: GitHub stops at 3,000, so the lists of a large
// commit are incomplete and an app must not take them as the whole change.
const MAX_PAYLOAD_PATHS = 3000;

export type PushOptions = {
  branch: string;
  /** the branch head before the push; null for a new branch */
  before: string | null;
  /** the branch head after the push; null when the push deleted the branch */
  after: string | null;
  /** the user who pushed */
  sender?: string;
};

/**
 * A `push` webhook payload as GitHub sends it (the fields apps read): ref, before/after, created/deleted/forced, the
 * pushed commits with their added/removed/modified paths, head_commit, repository, pusher, sender, installation.
 * Capped like GitHub's: the newest 2,048 commits (head_commit is always the head), 3,000 paths per commit.
 */
export async function buildPushPayload(
  sim: SimulatorState,
  repository: SimRepository,
  options: PushOptions,
): Promise<Record<string, unknown>> {
  const before = options.before ?? ZERO_SHA;
  const after = options.after ?? ZERO_SHA;
  const created = options.before === null;
  const deleted = options.after === null;
  const forced =
    !created && !deleted && !(await isAncestor(repository.gitDir, options.before as string, after));
  const commits = deleted ? [] : await pushedCommits(sim, repository, options.before, after);
  // The head even when no commit is new (a force push back to an older commit), as GitHub sends it.
  const headCommit = deleted
    ? null
    : commits.at(-1)?.id === after
      ? commits.at(-1)
      : (await commitEntries(sim, repository, [after]))[0];
  const sender = { login: options.sender ?? "octocat", id: 583231, type: "User" };
  const html = `${sim.url}/${repository.owner}/${repository.name}`;
  return {
    ref: `refs/heads/${options.branch}`,
    before,
    after,
    created,
    deleted,
    forced,
    base_ref: null,
    compare: `${html}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits,
    head_commit: headCommit ?? null,
    // push events give the repository's times as epoch seconds; pushed_at is this push's time
    repository: { ...repositoryPayload(sim, repository), pushed_at: Math.floor(sim.now() / 1000) },
    pusher: { name: sender.login, email: `${sender.login}@users.noreply.github.com` },
    sender,
    installation: { id: repository.installationId, node_id: `MDIz${repository.installationId}` },
  };
}

async function isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await runGit(gitDir, ["merge-base", "--is-ancestor", ancestor, descendant], {
    okExitCodes: [0, 1],
  });
  return result.exitCode === 0;
}

async function pushedCommits(
  sim: SimulatorState,
  repository: SimRepository,
  before: string | null,
  after: string,
): Promise<Record<string, unknown>[]> {
  const range = before ? [after, `^${before}`] : [after];
  // rev-list limits before it reverses: these are the newest 2,048, listed oldest first.
  const { stdout } = await runGit(repository.gitDir, [
    "rev-list",
    "--reverse",
    `--max-count=${MAX_PAYLOAD_COMMITS}`,
    ...range,
  ]);
  const shas = stdout.toString("utf8").split("\n").filter(Boolean);
  // A new branch lists only its newest commit when its history is long (GitHub lists the commits new to the repo).
  return commitEntries(sim, repository, before ? shas : shas.slice(-1));
}

/** The payload's entries for these commits, with each one's changes from its first parent. */
async function commitEntries(
  sim: SimulatorState,
  repository: SimRepository,
  shas: readonly string[],
): Promise<Record<string, unknown>[]> {
  const infos: GitCommitInfo[] = [];
  for (const sha of shas) {
    const info = await readCommitInfo(repository, sha);
    if (info) infos.push(info);
  }
  const changesOf = await diffCommits(
    repository.gitDir,
    infos.map((info) => ({ sha: info.sha, parent: info.parents[0] ?? null })),
  );
  return infos.map((info) => ({
    id: info.sha,
    tree_id: info.tree,
    distinct: true,
    message: info.message.trimEnd(),
    timestamp: info.committer.date,
    url: `${sim.url}/${repository.owner}/${repository.name}/commit/${info.sha}`,
    author: { name: info.author.name, email: info.author.email, username: "octocat" },
    committer: { name: info.committer.name, email: info.committer.email, username: "octocat" },
    ...changedPaths(changesOf.get(info.sha) ?? []),
  }));
}

/** A commit's added/removed/modified paths, in git's order, at most MAX_PAYLOAD_PATHS of them in all. */
function changedPaths(changes: GitChange[]): { added: string[]; removed: string[]; modified: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  const modified: string[] = [];
  let listed = 0;
  const list = (into: string[], path: string) => {
    if (listed >= MAX_PAYLOAD_PATHS) return;
    into.push(path);
    listed += 1;
  };
  for (const change of changes) {
    if (change.status === "A" || change.status === "C") list(added, change.path);
    else if (change.status === "D") list(removed, change.path);
    else if (change.status === "R") {
      list(removed, change.previousPath as string);
      list(added, change.path);
    } else list(modified, change.path);
  }
  return { added, removed, modified };
}
