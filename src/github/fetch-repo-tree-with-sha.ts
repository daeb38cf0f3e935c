import { z } from "zod";
import { AppError } from "../errors.js";
import { createLimiter } from "./create-limiter.js";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoParams, TreeEntry } from "./github-client.js";
import { addListing, completeChildren, type ListedTrees } from "./listed-trees.js";
import { mapGitHubError } from "./map-github-error.js";

/** One tree request, for progress reporting: `path` is "" for the root. */
export type TreeRequest = { sha: string; path: string; recursive: boolean };

export type FetchRepoTreeWithShaOptions = RepoParams & {
  client: GitHubClient;
  /** a tree SHA, or a commit SHA or branch name (GitHub resolves those to their tree) */
  treeSha: string;
  onRequest?: (request: TreeRequest) => void;
  /**
   * The subtrees (folder path with a trailing "/" → tree SHA) a previous walk of this branch listed. When given, the
   * tree is known to be too big for one listing: the root is walked level by level straight away, and a subtree whose
   * SHA is unchanged is not listed again — its files are the caller's to supply (`reused`).
   */
  knownSubtrees?: ReadonlyMap<string, string>;
};

export type RepoTree = {
  /** the tree's own SHA, even when `treeSha` named a commit */
  treeSha: string;
  /** every file, symlink and submodule, sorted by path (code-unit order) */
  entries: TreeEntry[];
  /** tree requests made: 1 unless GitHub truncated the recursive listing */
  requests: number;
  /** when the tree had to be walked: every subtree the walk reached (path with trailing "/" → SHA), for next time */
  subtrees: Map<string, string> | null;
  /** subtrees left out because `knownSubtrees` had them at the same SHA; `entries` holds nothing below them */
  reused: string[];
};

const treeSchema = z.object({
  sha: gitShaSchema,
  truncated: z.boolean(),
  tree: z.array(
    z.object({
      path: z.string().min(1),
      mode: z.string().regex(/^[0-7]{6}$/, "expected a 6-digit octal git mode"),
      type: z.enum(["blob", "tree", "commit"]),
      sha: gitShaSchema,
      // GitHub omits size for trees and submodules (type "commit"), and its description makes it optional for
      // blobs too: an unknown size is learnt when the content is fetched
      size: z.number().int().nonnegative().optional(),
    }),
  ),
});

type TreeListing = z.infer<typeof treeSchema>;
type RawEntry = TreeListing["tree"][number];

// Enough to walk a wide truncated tree quickly, few enough not to trip GitHub's secondary rate limit.
const TREE_CONCURRENCY = 8;

/**
 * Every non-tree entry of a git tree, complete even past GitHub's recursive limit (100,000 entries / 7 MB): after a
 * truncated listing, each folder it holds in full (proved by recomputing the folder's git tree SHA) is taken from it,
 * and only the rest is listed again, per subtree, walking one level at a time where a subtree is still too big.
 * @example const { entries } = await fetchRepoTreeWithSha({ client, owner: "octo", repo: "hello", treeSha: head.treeSha })
 */
export async function fetchRepoTreeWithSha(options: FetchRepoTreeWithShaOptions): Promise<RepoTree> {
  const { owner, repo, treeSha } = options;
  const walk: TreeWalk = {
    options,
    limit: createLimiter(TREE_CONCURRENCY),
    listings: new Map(),
    entries: [],
    listed: new Map(),
    subtrees: new Map(),
    reused: [],
  };
  try {
    if (options.knownSubtrees && options.knownSubtrees.size > 0) {
      // Known to be truncated: a recursive listing of the root would be wasted.
      const root = await walkLevel(walk, treeSha, "");
      return finish(walk, root.sha, true);
    }
    const root = await list(walk, treeSha, "", true);
    if (root.truncated) {
      addListing(walk.listed, "", root.tree);
      await walkLevel(walk, root.sha, "");
    } else collect(root.tree, "", walk.entries);
    return finish(walk, root.sha, root.truncated);
  } catch (error) {
    throw mapGitHubError(error, { what: `tree ${treeSha} of ${owner}/${repo}` });
  }
}

/** One tree walk: the requests made, what it found, and what truncated listings delivered. */
type TreeWalk = {
  options: FetchRepoTreeWithShaOptions;
  limit: ReturnType<typeof createLimiter>;
  /** Identical directories (vendored copies, template folders) share a SHA: each is listed once. */
  listings: Map<string, Promise<TreeListing>>;
  entries: TreeEntry[];
  /** what truncated recursive listings did deliver: folders proved complete by their hash need no request */
  listed: ListedTrees;
  /** every subtree the walk reached (path with trailing "/" → SHA) */
  subtrees: Map<string, string>;
  /** subtrees left out because `knownSubtrees` had them at the same SHA */
  reused: string[];
};

function list(walk: TreeWalk, sha: string, path: string, recursive: boolean): Promise<TreeListing> {
  const { client, owner, repo, onRequest } = walk.options;
  const key = `${sha}:${recursive}`;
  let listing = walk.listings.get(key);
  if (!listing) {
    onRequest?.({ sha, path, recursive });
    listing = walk
      .limit(() =>
        client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
          owner,
          repo,
          tree_sha: sha,
          ...(recursive ? { recursive: "1" } : {}),
        }),
      )
      .then((response) => treeSchema.parse(response.data));
    walk.listings.set(key, listing);
  }
  return listing;
}

/** The files below a folder, when truncated listings delivered all of it (proved by its hash); null otherwise. */
function fromListed(walk: TreeWalk, prefix: string, sha: string): TreeEntry[] | null {
  const children = completeChildren(walk.listed, prefix, sha);
  if (!children) return null;
  const found: TreeEntry[] = [];
  for (const child of children) {
    if (child.type === "tree") {
      const below = fromListed(walk, `${prefix}${child.name}/`, child.sha);
      if (!below) return null;
      for (const entry of below) found.push(entry);
    } else {
      const size = child.type === "commit" ? 0 : (child.size ?? 0);
      found.push({
        path: `${prefix}${child.name}`,
        mode: child.mode,
        type: child.type,
        sha: child.sha,
        size,
      });
    }
  }
  return found;
}

/** Lists one level of a folder too big for one listing, then walks each of its subtrees. */
async function walkLevel(walk: TreeWalk, sha: string, prefix: string): Promise<TreeListing> {
  const { owner, repo } = walk.options;
  const known = completeChildren(walk.listed, prefix, sha);
  const level: TreeListing = known
    ? { sha, truncated: false, tree: known.map(({ name, ...child }) => ({ path: name, ...child })) }
    : await list(walk, sha, prefix, false);
  if (level.truncated) {
    throw new AppError(
      "GITHUB_INVALID_RESPONSE",
      `GitHub truncated the listing of the single directory "${prefix || "/"}" in ${owner}/${repo}: it has too many entries to read through the API.`,
    );
  }
  collect(level.tree, prefix, walk.entries);
  const children = level.tree.filter((entry) => entry.type === "tree");
  await Promise.all(children.map((child) => walkSubtree(walk, child.sha, `${prefix}${child.path}/`)));
  return level;
}

/** A subtree: reused when known unchanged, taken from truncated listings when complete there, else listed. */
async function walkSubtree(walk: TreeWalk, sha: string, prefix: string): Promise<void> {
  walk.subtrees.set(prefix, sha);
  if (walk.options.knownSubtrees?.get(prefix) === sha) {
    walk.reused.push(prefix);
    return;
  }
  const alreadyListed = fromListed(walk, prefix, sha);
  if (alreadyListed) {
    for (const entry of alreadyListed) walk.entries.push(entry);
    return;
  }
  const listing = await list(walk, sha, prefix, true);
  if (listing.truncated) {
    addListing(walk.listed, prefix, listing.tree);
    await walkLevel(walk, sha, prefix);
  } else collect(listing.tree, prefix, walk.entries);
}

function finish(walk: TreeWalk, rootSha: string, walked: boolean): RepoTree {
  const { entries, reused } = walk;
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  reused.sort();
  return {
    treeSha: rootSha,
    entries,
    requests: walk.listings.size,
    subtrees: walked ? walk.subtrees : null,
    reused,
  };
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
