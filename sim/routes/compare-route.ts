import { diffTrees } from "../git/diff-trees.js";
import type { GitCommitInfo } from "../git/parse-commit.js";
import { gitText, runGit } from "../git/run-git.js";
import { rejectEmptyRepository } from "../reject-empty-repository.js";
import { HttpError, json, notFound } from "../reply.js";
import { readCommitInfo, resolveCommitSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import type { SimRepository } from "../sim-repository.js";
import { repositoryApiUrl, requireRepository } from "../simulator-state.js";
import { restCommitJson } from "./commit-json.js";
import { filesJson } from "./files-json.js";

/** GitHub lists at most this many commits in a comparison (the oldest ones). */
const MAX_COMMITS = 250;

/**
 * `GET /repos/{owner}/{repo}/compare/{base}...{head}`: like GitHub, the files are the diff from the merge base to
 * head (first 300, renames detected; no `files` key at all past the compareOmitFilesAbove option, as GitHub answers
 * very large comparisons), the commits those reachable from head but not base (oldest 250). An empty repository
 * answers 409.
 */
export const compareCommits: RouteHandler = async ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  rejectEmptyRepository(repository, "https://docs.github.com/rest/commits/commits#compare-two-commits");
  const basehead = `${params.base}...${params.head}`;
  const [base, head] = await Promise.all([
    resolveCommitSha(repository, params.base ?? ""),
    resolveCommitSha(repository, params.head ?? ""),
  ]);
  if (!base || !head) throw notFound();

  const { gitDir } = repository;
  const mergeBase = await gitText(gitDir, ["merge-base", base, head], { okExitCodes: [0, 1] });
  if (!mergeBase) throw new HttpError(404, `No common ancestor between ${base} and ${head}.`);
  const [aheadBy, behindBy, commitShas, changes] = await Promise.all([
    countCommits(gitDir, `${base}..${head}`),
    countCommits(gitDir, `${head}..${base}`),
    runGit(gitDir, ["rev-list", "--reverse", `${base}..${head}`]),
    diffTrees({ gitDir, base: mergeBase, head }),
  ]);
  const shas = commitShas.stdout.toString("utf8").split("\n").filter(Boolean).slice(0, MAX_COMMITS);
  const [baseCommit, mergeBaseCommit, ...commits] = await Promise.all(
    [base, mergeBase, ...shas].map((sha) => requireCommit(repository, sha)),
  );
  const toJson = (commit: GitCommitInfo) => restCommitJson(sim, repository, commit);
  const status =
    aheadBy === 0 && behindBy === 0
      ? "identical"
      : behindBy === 0
        ? "ahead"
        : aheadBy === 0
          ? "behind"
          : "diverged";
  const html = `${sim.url}/${repository.owner}/${repository.name}`;
  const owner = repository.owner;
  return json({
    url: `${repositoryApiUrl(sim, repository)}/compare/${basehead}`,
    html_url: `${html}/compare/${basehead}`,
    permalink_url: `${html}/compare/${owner}:${base}...${owner}:${head}`,
    diff_url: `${html}/compare/${basehead}.diff`,
    patch_url: `${html}/compare/${basehead}.patch`,
    base_commit: toJson(baseCommit as GitCommitInfo),
    merge_base_commit: toJson(mergeBaseCommit as GitCommitInfo),
    status,
    ahead_by: aheadBy,
    behind_by: behindBy,
    total_commits: aheadBy,
    commits: commits.map(toJson),
    ...(changes.length > sim.compareOmitFilesAbove
      ? {}
      : { files: filesJson(sim, repository, head, changes) }),
  });
};

async function countCommits(gitDir: string, range: string): Promise<number> {
  return Number(await gitText(gitDir, ["rev-list", "--count", range]));
}

async function requireCommit(repository: SimRepository, sha: string): Promise<GitCommitInfo> {
  const commit = await readCommitInfo(repository, sha);
  if (!commit)
    throw new HttpError(500, `simulator: ${sha} is not a commit of ${repository.owner}/${repository.name}`);
  return commit;
}
