import { diffTrees } from "../git/diff-trees.js";
import { runGit } from "../git/run-git.js";
import { readCommitInfo } from "../resolve-git-ref.js";
import type { SimRepository } from "../sim-repository.js";
import type { SimulatorState } from "../simulator-state.js";
import { repositoryPayload } from "./repository-payload.js";

const ZERO_SHA = "0".repeat(40);
// GitHub's push payload lists at most this many commits (oldest first).
const MAX_PAYLOAD_COMMITS = 2048;

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
    head_commit: commits.at(-1) ?? null,
    repository: repositoryPayload(sim, repository),
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
  const { stdout } = await runGit(repository.gitDir, [
    "rev-list",
    "--reverse",
    `--max-count=${MAX_PAYLOAD_COMMITS}`,
    ...range,
  ]);
  const shas = stdout.toString("utf8").split("\n").filter(Boolean);
  // A new branch lists only its newest commit when its history is long (GitHub lists the commits new to the repo).
  const listed = before ? shas : shas.slice(-1);
  const commits: Record<string, unknown>[] = [];
  for (const sha of listed) {
    const info = await readCommitInfo(repository, sha);
    if (!info) continue;
    const parent = info.parents[0] ?? (await emptyTree(repository.gitDir));
    const changes = await diffTrees({ gitDir: repository.gitDir, base: parent, head: sha });
    const added: string[] = [];
    const removed: string[] = [];
    const modified: string[] = [];
    for (const change of changes) {
      if (change.status === "A" || change.status === "C") added.push(change.path);
      else if (change.status === "D") removed.push(change.path);
      else if (change.status === "R") {
        removed.push(change.previousPath as string);
        added.push(change.path);
      } else modified.push(change.path);
    }
    commits.push({
      id: sha,
      tree_id: info.tree,
      distinct: true,
      message: info.message.trimEnd(),
      timestamp: info.committer.date,
      url: `${sim.url}/${repository.owner}/${repository.name}/commit/${sha}`,
      author: { name: info.author.name, email: info.author.email, username: "octocat" },
      committer: { name: info.committer.name, email: info.committer.email, username: "octocat" },
      added,
      removed,
      modified,
    });
  }
  return commits;
}

async function emptyTree(gitDir: string): Promise<string> {
  const { stdout } = await runGit(gitDir, ["hash-object", "-t", "tree", "--stdin"], { input: "" });
  return stdout.toString("utf8").trim();
}
