import type { Octokit } from "@octokit/rest";

/**
 * What the connector needs from an Octokit: `request` and `graphql`. Probot's `context.octokit`, an `@octokit/rest`
 * instance from createOctokit, and the per-sync request counter all fit.
 */
export type GitHubClient = Pick<Octokit, "request" | "graphql">;

/** The repository a connector call is about. */
export type RepoRef = { owner: string; repo: string };

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
