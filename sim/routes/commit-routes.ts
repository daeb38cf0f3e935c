import { diffTrees } from "../git/diff-trees.js";
import { rejectEmptyRepository } from "../reject-empty-repository.js";
import { json, notFound, unprocessable } from "../reply.js";
import { readCommitInfo, resolveCommitSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import { requireRepository } from "../simulator-state.js";
import { gitCommitJson, restCommitJson } from "./commit-json.js";
import { EMPTY_TREE_SHA, filesJson } from "./files-json.js";

/**
 * `GET /repos/{owner}/{repo}/commits/{ref}`: a branch, tag or (short) SHA. With `Accept: application/vnd.github.sha`
 * only the SHA, as text. `files` are the changes from the first parent (first 300, without line counts). An empty
 * repository answers 409, an unknown ref 422.
 */
export const getCommit: RouteHandler = async ({ sim, params, headers }) => {
  const repository = requireRepository(sim, params);
  rejectEmptyRepository(repository, "https://docs.github.com/rest/commits/commits#get-a-commit");
  const ref = params.ref ?? "";
  const sha = await resolveCommitSha(repository, ref);
  if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
  if (/application\/vnd\.github(?:\.v3)?\.sha/.test(headers.accept ?? "")) {
    return {
      status: 200,
      headers: { "content-type": "application/vnd.github.sha; charset=utf-8" },
      body: sha,
    };
  }
  const commit = await readCommitInfo(repository, sha);
  if (!commit) throw unprocessable(`No commit found for SHA: ${ref}`);
  const changes = await diffTrees({
    gitDir: repository.gitDir,
    base: commit.parents[0] ?? EMPTY_TREE_SHA,
    head: commit.sha,
  });
  return json({
    ...restCommitJson(sim, repository, commit),
    files: filesJson(sim, repository, commit.sha, changes),
  });
};

/** `GET /repos/{owner}/{repo}/git/commits/{sha}`: 422 for a malformed SHA, 404 for an unknown one, 409 if empty. */
export const getGitCommit: RouteHandler = async ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  rejectEmptyRepository(repository, "https://docs.github.com/rest/git/commits#get-a-commit-object");
  const sha = params.sha ?? "";
  if (!/^[0-9a-f]{40}$/i.test(sha)) {
    throw unprocessable("The sha parameter must be exactly 40 characters and contain only [0-9a-f].");
  }
  const commit = await readCommitInfo(repository, sha.toLowerCase());
  if (!commit) throw notFound();
  return json(gitCommitJson(sim, repository, commit));
};
