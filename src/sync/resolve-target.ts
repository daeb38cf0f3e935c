import { AppError } from "../errors.js";
import { fetchBranchHead } from "../github/fetch-branch-head.js";
import { fetchRepoTreeWithSha } from "../github/fetch-repo-tree-with-sha.js";
import { requireGitHub } from "../github/require-github.js";
import { countMemoryEntries } from "../memory/count-memory-entries.js";
import { loadMemoryTree } from "../memory/load-memory-tree.js";
import { createYielder } from "./create-yielder.js";
import { resolveByCompare } from "./resolve-by-compare.js";
import { resolveByTreeDiff } from "./resolve-by-tree-diff.js";
import type { ResolvedTarget, SyncContext, TargetTree } from "./sync-context.js";

/**
 * Phase 1: the tree memory must equal. A push names its head commit: into a large tree it builds on the synced head
 * through the compare API (resolveByCompare), or — when the compare cannot tell (300 files or more, a force push) and
 * no path filter applies — by walking only the folders whose SHA differs from memory's (resolveByTreeDiff); otherwise one tree request by commit SHA (walked past GitHub's
 * truncation, re-listing only changed subtrees); a new branch in a large tree builds on the default branch the same
 * way; a manual sync asks for the branch head first; a branch deletion is the empty tree; a restore reads the tree of
 * a past sync from memory. Neither of the last two calls GitHub. A sync under another repository config than the
 * synced head's is never "unchanged" and lists the whole tree (paths may have entered or left the memory).
 */
export async function resolveTarget(context: SyncContext): Promise<ResolvedTarget> {
  const { lineageHead, deps } = context;
  let { sync } = context;
  if (sync.trigger === "restore") return resolveRestoreTarget(context);
  if (sync.deletesBranch) {
    // A deletion the catch-up inferred from a branch listing (or one whose order among the branch's pushes could not
    // be told) is checked first (one request): the branch may have been pushed again since, and its memory must not
    // be retired while it exists. Any other pushed deletion is GitHub's word.
    if (sync.trigger === "reconcile" || sync.verifyHead) await requireBranchGone(context);
    return { headSha: null, treeSha: null, tree: new Map(), unchanged: false, subtrees: null };
  }
  if (sync.verifyHead && sync.headSha) {
    // Its delivery's order among the branch's could not be told: the head GitHub has now is the newest one.
    const head = await fetchBranchHead({
      client: requireGitHub(context.deps.github),
      owner: context.repository.owner,
      repo: context.repository.name,
      branch: sync.branch,
    });
    if (head.commitSha !== sync.headSha) {
      deps.log.info(
        `sync ${sync.id}: ${sync.branch} is at ${head.commitSha.slice(0, 7)} on GitHub, not ${sync.headSha.slice(0, 7)}`,
      );
    }
    sync = { ...sync, headSha: head.commitSha };
    context.sync = sync;
  }

  const github = requireGitHub(context.deps.github);
  const owner = context.repository.owner;
  const repo = context.repository.name;
  const sameConfig = (lineageHead?.configDigest ?? null) === (deps.configDigest ?? null);
  const knownSubtrees = sync.full || !sameConfig ? undefined : subtreesOf(lineageHead?.subtrees);
  if (sync.headSha && !sync.full && sameConfig && lineageHead?.headSha === sync.headSha) {
    return unchanged(sync.headSha, lineageHead.headTreeSha, knownSubtrees);
  }
  if (
    sync.headSha &&
    !sync.full &&
    sameConfig &&
    lineageHead?.headSha &&
    (await isLargeTree(context, context.sync.branch, knownSubtrees))
  ) {
    const viaCompare = await resolveByCompare(context, github, {
      base: lineageHead.headSha,
      head: sync.headSha,
      knownSubtrees,
    });
    if (viaCompare) return viaCompare;
    // Memory is the tree at the synced head: the folders whose SHA changed are all that needs reading.
    if (!deps.pathFilter) return resolveByTreeDiff(context, github, { head: sync.headSha, knownSubtrees });
  }
  if (sync.headSha && !sync.full && (!lineageHead || lineageHead.deletesBranch)) {
    const fromDefault = await resolveFromDefaultBranch(context, sync.headSha);
    if (fromDefault) return fromDefault;
  }
  let headSha = sync.headSha;
  let treeish = sync.headSha;
  if (!headSha) {
    const head = await fetchBranchHead({ client: github, owner, repo, branch: sync.branch });
    headSha = head.commitSha;
    treeish = head.treeSha;
    if (!sync.full && sameConfig && lineageHead?.headTreeSha === head.treeSha)
      return unchanged(headSha, head.treeSha, knownSubtrees);
  }
  const listing = await fetchRepoTreeWithSha({
    client: github,
    owner,
    repo,
    treeSha: treeish as string,
    knownSubtrees,
  });
  const tree: TargetTree = new Map();
  // a config's globs can be costly: the event loop (webhooks, heartbeats, other syncs) gets its turns meanwhile
  const pause = createYielder();
  for (const entry of listing.entries) {
    if (deps.pathFilter) {
      const turn = pause();
      if (turn) await turn;
      if (!deps.pathFilter(entry.path)) continue;
    }
    tree.set(entry.path, { mode: entry.mode, sha: entry.sha, size: entry.size });
  }
  if (listing.reused.length > 0) {
    // Subtrees unchanged since the last sync were not listed again: their files are the ones memory holds.
    for (const [path, entry] of await context.memoryTree()) {
      if (listing.reused.some((prefix) => path.startsWith(prefix))) tree.set(path, entry);
    }
  }
  return { headSha, treeSha: listing.treeSha, tree, unchanged: false, subtrees: listing.subtrees };
}

/**
 * A branch with no memory of its own (new, or re-created after a deletion) pushed into a large repository: the
 * default branch's synced head under the same config is the base, so only the folders the branch changed are read.
 */
async function resolveFromDefaultBranch(context: SyncContext, head: string): Promise<ResolvedTarget | null> {
  const { deps, repository, sync } = context;
  if (sync.branch === repository.defaultBranch) return null;
  const defaultHead = await deps.db.projectSync.findFirst({
    where: { repositoryId: repository.id, branch: repository.defaultBranch, status: "succeeded" },
    orderBy: { generation: "desc" },
  });
  if (
    !defaultHead?.headSha ||
    defaultHead.generation === null ||
    (defaultHead.configDigest ?? null) !== (deps.configDigest ?? null)
  )
    return null;
  const knownSubtrees = subtreesOf(defaultHead.subtrees);
  if (!(await isLargeTree(context, repository.defaultBranch, knownSubtrees))) return null;
  return resolveByCompare(context, requireGitHub(context.deps.github), {
    base: defaultHead.headSha,
    head,
    knownSubtrees,
    baseBranch: repository.defaultBranch,
    baseGeneration: defaultHead.generation,
  });
}

// Below this many files one recursive listing (1 request) is cheaper than compare + folders (2 requests).
export const COMPARE_MIN_FILES = 20_000;

/** Large trees (or ones too big for one listing) take the compare path, whose cost does not grow with the tree. */
async function isLargeTree(
  context: SyncContext,
  branch: string,
  knownSubtrees: Map<string, string> | undefined,
): Promise<boolean> {
  if (knownSubtrees) return true;
  const files = await countMemoryEntries(context.deps.db, { repositoryId: context.repository.id, branch });
  return files >= (context.deps.compareMinFiles ?? COMPARE_MIN_FILES);
}

function unchanged(
  headSha: string,
  treeSha: string | null,
  subtrees: Map<string, string> | undefined,
): ResolvedTarget {
  return { headSha, treeSha, tree: new Map(), unchanged: true, subtrees: subtrees ?? null };
}

/** The subtree map a previous walk stored (a JSON object of path → SHA), if any. */
export function subtreesOf(stored: unknown): Map<string, string> | undefined {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return undefined;
  const entries = Object.entries(stored).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
  );
  return entries.length > 0 ? new Map(entries) : undefined;
}

async function resolveRestoreTarget(context: SyncContext): Promise<ResolvedTarget> {
  const { sync, deps } = context;
  const source = sync.restoredFromSyncId
    ? await deps.db.projectSync.findUnique({ where: { id: sync.restoredFromSyncId } })
    : null;
  if (source?.status !== "succeeded" || source.generation === null || source.branch !== sync.branch) {
    throw new AppError("BAD_INPUT", "A restore needs a successful sync of the same branch to restore from.");
  }
  const tree = await loadMemoryTree(deps.db, {
    repositoryId: sync.repositoryId,
    branch: sync.branch,
    asOfGeneration: source.generation,
  });
  return {
    headSha: source.headSha,
    treeSha: source.headTreeSha,
    tree,
    unchanged: false,
    subtrees: subtreesOf(source.subtrees) ?? null,
    configDigest: source.configDigest,
  };
}

async function requireBranchGone(context: SyncContext): Promise<void> {
  const { repository, sync } = context;
  try {
    await fetchBranchHead({
      client: requireGitHub(context.deps.github),
      owner: repository.owner,
      repo: repository.name,
      branch: sync.branch,
    });
  } catch (error) {
    if (error instanceof AppError && (error.code === "BRANCH_NOT_FOUND" || error.code === "BRANCH_RENAMED"))
      return;
    throw error;
  }
  throw new AppError(
    "CONFLICT",
    `Branch "${sync.branch}" exists again on GitHub: its memory is kept (its next push, or the next catch-up, syncs it).`,
  );
}
