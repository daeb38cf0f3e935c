import type { Octokit } from "@octokit/rest";

/**
 * What the connector needs from an Octokit: `request` and `graphql`. Probot's `context.octokit`, an `@octokit/rest`
 * instance from createOctokit, and the per-sync request counter all fit.
 */
export type GitHubClient = Pick<Octokit, "request" | "graphql">;

/**
 * The app's one reference to a repository: owner and name, as a Repository row has them (a row fits as it is).
 */
export type RepoRef = { owner: string; name: string };

/**
 * A repository spelled as Octokit's routes spell it (`/repos/{owner}/{repo}`): the connector's functions take their
 * options this way, so they pass straight through to `client.request`. Not a second reference type: only the
 * boundary's spelling, made from a RepoRef with repoParams.
 */
export type RepoParams = { owner: string; repo: string };

/** A RepoRef as Octokit's route parameters. */
export function repoParams(repository: RepoRef): RepoParams {
  return { owner: repository.owner, repo: repository.name };
}

/** One non-tree entry of a git tree: a file, an executable, a symlink or a submodule. */
export type TreeEntry = {
  path: string;
  /** "100644" | "100755" | "120000" | "160000" */
  mode: string;
  /** "blob" for files and symlinks, "commit" for submodules */
  type: "blob" | "commit";
  /** blob SHA, or the submodule's commit SHA */
  sha: string;
  /** blob size in bytes; 0 for submodules */
  size: number;
};

/** A blob's content as the memory stores it. `content` is null when `omitted` says why. */
export type BlobContent = {
  sha: string;
  size: number;
  isBinary: boolean;
  content: string | null;
  omitted: "binary" | "too_large" | null;
};
