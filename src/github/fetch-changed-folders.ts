import { z } from "zod";
import { AppError } from "../errors.js";
import { type FolderEntry, restTreeSchema } from "./fetch-folders-at.js";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

/** A folder of the base tree: its git tree SHA and how many entries (files and folders) it holds directly. */
export type BaseFolder = { sha: string; entries: number };

export type FetchChangedFoldersOptions = RepoParams & {
  client: GitHubClient;
  /** the commit to reach */
  commit: string;
  /** every folder of the tree the caller holds ("" for the root, "a/b/" below it): what is the same is not listed */
  base: ReadonlyMap<string, BaseFolder>;
};

export type ChangedFolders = {
  /** the commit's root tree SHA */
  treeSha: string;
  /** every folder whose SHA differs from the base's (or that the base lacks) → its entries at the commit */
  listed: Map<string, FolderEntry[]>;
  /** every folder the listed folders hold at the commit (changed or not) → its SHA */
  folders: Map<string, string>;
  /** GraphQL queries and REST listings made */
  requests: number;
};

// Aliases per query, as for fetchFoldersAt; and the entries one query may be expected to answer, estimated from the
// base's folders (~100 bytes of JSON each: a few MB, the size of a content query of 100 files; GitHub documents no
// cap on a query's entries, only its 10-second limit).
const ALIASES_PER_QUERY = 250;
const ENTRIES_PER_QUERY = 50_000;
/** Levels one alias lists at most (the folder, its folders, theirs), and the entries that nesting may cost. */
const MAX_DEPTH = 3;
const ENTRIES_PER_ALIAS = 10_000;
/** What a folder the base lacks is counted as in a query's budget before it is seen. */
const NEW_FOLDER_ENTRIES = 100;

const entrySchema = z.object({
  name: z.string().min(1),
  mode: z.number().int(),
  type: z.enum(["blob", "tree", "commit"]),
  oid: gitShaSchema,
  // `... on Tree` below: `{}` for a blob, null when the object is not in the repository (a submodule's commit)
  object: z.unknown().optional(),
});
type RawEntry = z.infer<typeof entrySchema>;
const treeSchema = z.object({ oid: gitShaSchema, entries: z.array(entrySchema).nullable() });
const commitSchema = z.object({ oid: gitShaSchema, tree: treeSchema });
const listingSchema = restTreeSchema.extend({ truncated: z.boolean() });

/** One folder to list: where it is, its SHA at the commit (none for the root, reached through the commit). */
type Pending = { folder: string; sha: string | null };

/**
 * The folders of a commit that differ from a base tree the caller holds, walked from the root through GraphQL: a
 * folder is listed only when its SHA differs from the base's, so the cost follows the folders a push changed, not the
 * tree's size. Each round is one query of up to 250 `object(oid:)` aliases, each listing its folder and (nested
 * `object { ... on Tree { entries } }`) up to two levels below it where the base says they are small; a folder GraphQL
 * will not list (`entries: null`) is listed over REST. Exact: a listed folder's entries are GitHub's.
 * @example const { listed } = await fetchChangedFolders({ client, owner, repo, commit: head, base: folderShas })
 */
export async function fetchChangedFolders(options: FetchChangedFoldersOptions): Promise<ChangedFolders> {
  const { owner, repo, commit } = options;
  if (!gitShaSchema.safeParse(commit).success) {
    throw new AppError("BAD_INPUT", `"${commit}" is not a commit SHA.`);
  }
  const walk: Walk = {
    options,
    children: childrenOf(options.base),
    result: { treeSha: "", listed: new Map(), folders: new Map(), requests: 0 },
    next: [],
  };
  try {
    let round: Pending[] = [{ folder: "", sha: null }];
    while (round.length > 0) {
      walk.next = [];
      for (const batch of planBatches(walk, round)) await queryBatch(walk, batch);
      round = walk.next;
    }
    return walk.result;
  } catch (error) {
    throw mapGitHubError(error, {
      what: `changed folders of commit ${commit} in ${owner}/${repo}`,
      notFound: "COMMIT_NOT_FOUND",
    });
  }
}

type Walk = {
  options: FetchChangedFoldersOptions;
  /** base folder → its base subfolders */
  children: Map<string, string[]>;
  result: ChangedFolders;
  /** folders the current round found changed but did not list: the next round's */
  next: Pending[];
};

type Planned = Pending & { depth: number };

function childrenOf(base: ReadonlyMap<string, BaseFolder>): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const folder of base.keys()) {
    if (folder === "") continue;
    const parent = parentOf(folder);
    const list = children.get(parent) ?? [];
    list.push(folder);
    children.set(parent, list);
  }
  return children;
}

/** "a/b/" → "a/", "a/" → "" */
function parentOf(folder: string): string {
  const slash = folder.lastIndexOf("/", folder.length - 2);
  return slash < 0 ? "" : folder.slice(0, slash + 1);
}

/** Entries a folder listed `depth` levels deep is expected to answer, from the base (a new subfolder counts 0). */
function estimate(walk: Walk, folder: string, depth: number): number {
  let total = walk.options.base.get(folder)?.entries ?? 0;
  if (depth > 1)
    for (const child of walk.children.get(folder) ?? []) total += estimate(walk, child, depth - 1);
  return total;
}

/** The round's folders in queries: each as deep as its estimate allows, each query within its alias and entry budget. */
function planBatches(walk: Walk, round: Pending[]): Planned[][] {
  const batches: Planned[][] = [];
  let batch: Planned[] = [];
  let entries = 0;
  for (const pending of round) {
    // a folder the base lacks may be any size (a vendored tree pushed at once): listed one level at a time
    const known = pending.folder === "" || walk.options.base.has(pending.folder);
    let depth = known ? MAX_DEPTH : 1;
    while (depth > 1 && estimate(walk, pending.folder, depth) > ENTRIES_PER_ALIAS) depth -= 1;
    const cost = known ? estimate(walk, pending.folder, depth) : NEW_FOLDER_ENTRIES;
    if (batch.length > 0 && (batch.length >= ALIASES_PER_QUERY || entries + cost > ENTRIES_PER_QUERY)) {
      batches.push(batch);
      batch = [];
      entries = 0;
    }
    batch.push({ ...pending, depth });
    entries += cost;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

function treeSelection(depth: number): string {
  const below = depth > 1 ? ` object { ... on Tree { ${treeSelection(depth - 1)} } }` : "";
  return `oid entries { name mode type oid${below} }`;
}

async function queryBatch(walk: Walk, batch: Planned[]): Promise<void> {
  const { client, owner, repo, commit } = walk.options;
  const fields = batch.map(({ sha, depth }, index) =>
    sha === null
      ? `f${index}: object(oid: "${commit}") { ... on Commit { oid tree { ${treeSelection(depth)} } } }`
      : `f${index}: object(oid: "${sha}") { ... on Tree { ${treeSelection(depth)} } }`,
  );
  const query = `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields.join(" ")} } }`;
  walk.result.requests += 1;
  const data = z
    .object({ repository: z.record(z.string(), z.unknown()) })
    .parse(await client.graphql(query, { owner, name: repo }));
  for (const [index, { folder, sha }] of batch.entries()) {
    const value = data.repository[`f${index}`];
    if (sha === null) {
      const head = commitSchema.safeParse(value);
      if (!head.success)
        throw new AppError("COMMIT_NOT_FOUND", `Commit ${commit} is not in ${owner}/${repo}.`);
      walk.result.treeSha = head.data.tree.oid;
      await visit(walk, folder, head.data.tree);
    } else {
      // a tree named by its SHA from its parent's listing is there: anything else is not GitHub's answer
      await visit(walk, folder, treeSchema.parse(value));
    }
  }
}

/** A changed folder's listing: its entries are the answer; its changed folders are visited (nested) or queued. */
async function visit(walk: Walk, folder: string, tree: z.infer<typeof treeSchema>): Promise<void> {
  const entries = tree.entries ?? (await listOverRest(walk, tree.oid));
  walk.result.listed.set(
    folder,
    entries.map((entry) => ({
      name: entry.name,
      mode: entry.mode.toString(8).padStart(6, "0"),
      type: entry.type,
      sha: entry.oid,
    })),
  );
  for (const entry of entries) {
    if (entry.type !== "tree") continue;
    const child = `${folder}${entry.name}/`;
    walk.result.folders.set(child, entry.oid);
    if (walk.options.base.get(child)?.sha === entry.oid) continue;
    const nested = entry.object === undefined ? null : treeSchema.safeParse(entry.object);
    if (nested?.success && nested.data.oid === entry.oid) await visit(walk, child, nested.data);
    else walk.next.push({ folder: child, sha: entry.oid });
  }
}

/** A tree GraphQL named but did not list (`entries: null`, nullable in GitHub's schema): one REST listing. */
async function listOverRest(walk: Walk, sha: string): Promise<RawEntry[]> {
  const { client, owner, repo } = walk.options;
  walk.result.requests += 1;
  const response = await client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    owner,
    repo,
    tree_sha: sha,
  });
  const listing = listingSchema.parse(response.data);
  if (listing.truncated) {
    throw new AppError(
      "GITHUB_INVALID_RESPONSE",
      `GitHub truncated the listing of tree ${sha} in ${owner}/${repo}: it has too many entries to read through the API.`,
    );
  }
  return listing.tree.map((entry) => ({
    name: entry.path,
    mode: Number.parseInt(entry.mode, 8),
    type: entry.type,
    oid: entry.sha,
  }));
}
