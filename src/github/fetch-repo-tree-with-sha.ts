import { z } from "zod";
import { AppError } from "../errors.js";
import { createLimiter } from "./create-limiter.js";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoRef, TreeEntry } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

/** One tree request, for progress reporting: `path` is "" for the root. */
export type TreeRequest = { sha: string; path: string; recursive: boolean };

export type FetchRepoTreeWithShaOptions = RepoRef & {
  client: GitHubClient;
  /** a tree SHA, or a commit SHA or branch name (GitHub resolves those to their tree) */
  treeSha: string;
  onRequest?: (request: TreeRequest) => void;
};

export type RepoTree = {
  /** the tree's own SHA, even when `treeSha` named a commit */
  treeSha: string;
  /** every file, symlink and submodule, sorted by path (code-unit order) */
  entries: TreeEntry[];
  /** tree requests made: 1 unless GitHub truncated the recursive listing */
  requests: number;
};

const treeSchema = z.object({
  sha: gitShaSchema,
  truncated: z.boolean(),
  tree: z.array(
    z
      .object({
        path: z.string().min(1),
        mode: z.string().regex(/^[0-7]{6}$/, "expected a 6-digit octal git mode"),
        type: z.enum(["blob", "tree", "commit"]),
        sha: gitShaSchema,
        // GitHub omits size for trees and submodules (type "commit")
        size: z.number().int().nonnegative().optional(),
      })
      .refine((entry) => entry.type !== "blob" || entry.size !== undefined, "a blob entry has no size"),
  ),
});

type TreeListing = z.infer<typeof treeSchema>;
type RawEntry = TreeListing["tree"][number];

// Enough to walk a wide truncated tree quickly, few enough not to trip GitHub's secondary rate limit.
const TREE_CONCURRENCY = 8;

/**
 * Every non-tree entry of a git tree, complete even past GitHub's recursive limit (100,000 entries / 7 MB): a truncated
 * listing is redone per subtree, and any subtree still too big is walked one level at a time the same way.
 * @example const { entries } = await fetchRepoTreeWithSha({ client, owner: "octo", repo: "hello", treeSha: head.treeSha })
 */
export async function fetchRepoTreeWithSha(options: FetchRepoTreeWithShaOptions): Promise<RepoTree> {
  const { client, owner, repo, treeSha, onRequest } = options;
  const limit = createLimiter(TREE_CONCURRENCY);
  // Identical directories (vendored copies, template folders) share a SHA: list each once.
  const listings = new Map<string, Promise<TreeListing>>();
  const entries: TreeEntry[] = [];

  const list = (sha: string, path: string, recursive: boolean): Promise<TreeListing> => {
    const key = `${sha}:${recursive}`;
    let listing = listings.get(key);
    if (!listing) {
      onRequest?.({ sha, path, recursive });
      listing = limit(() =>
        client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
          owner,
          repo,
          tree_sha: sha,
          ...(recursive ? { recursive: "1" } : {}),
        }),
      ).then((response) => treeSchema.parse(response.data));
      listings.set(key, listing);
    }
    return listing;
  };

  const walkLevel = async (sha: string, prefix: string): Promise<void> => {
    const level = await list(sha, prefix, false);
    if (level.truncated) {
      throw new AppError(
        "GITHUB_INVALID_RESPONSE",
        `GitHub truncated the listing of the single directory "${prefix || "/"}" in ${owner}/${repo}: it has too many entries to read through the API.`,
      );
    }
    collect(level.tree, prefix, entries);
    const subtrees = level.tree.filter((entry) => entry.type === "tree");
    await Promise.all(subtrees.map((subtree) => walkSubtree(subtree.sha, `${prefix}${subtree.path}/`)));
  };

  const walkSubtree = async (sha: string, prefix: string): Promise<void> => {
    const listing = await list(sha, prefix, true);
    if (listing.truncated) await walkLevel(sha, prefix);
    else collect(listing.tree, prefix, entries);
  };

  try {
    const root = await list(treeSha, "", true);
    if (root.truncated) await walkLevel(root.sha, "");
    else collect(root.tree, "", entries);
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { treeSha: root.sha, entries, requests: listings.size };
  } catch (error) {
    throw mapGitHubError(error, { what: `tree ${treeSha} of ${owner}/${repo}` });
  }
}

function collect(tree: RawEntry[], prefix: string, into: TreeEntry[]): void {
  for (const entry of tree) {
    if (entry.type === "tree") continue;
    into.push({
      path: `${prefix}${entry.path}`,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      size: entry.type === "commit" ? 0 : (entry.size ?? 0),
    });
  }
}
