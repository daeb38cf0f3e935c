import { countMemoryEntries } from "../memory/count-memory-entries.js";
import { findMissingBlobs } from "../memory/find-missing-blobs.js";
import { loadMemoryFolders } from "../memory/load-memory-folders.js";
import { loadMemoryTree } from "../memory/load-memory-tree.js";
import { computeTreeDiff } from "./compute-tree-diff.js";
import type { ResolvedTarget, SyncContext, SyncPlan } from "./sync-context.js";

const SUBMODULE_MODE = "160000";
// Below this many blobs the content queries (100 per request) cost at most 3 requests: less than the whole archive.
const ARCHIVE_MIN_BLOBS = 300;
// The archive holds every file of the tree: it pays off when at least this share of the tree's blobs is needed.
const ARCHIVE_MIN_SHARE = 0.5;

/**
 * Phase 2: the branch's memory against the target tree. Rows change only for paths that changed; content is needed
 * only for blob SHAs the repository does not hold (all of them on a full resync, which trusts nothing stored).
 * A branch with no memory yet is compared with the default branch's memory for its counts.
 * A sync under a changed repository config also looks for content of unchanged paths (a raised size cap).
 */
export async function planChanges(context: SyncContext, target: ResolvedTarget): Promise<SyncPlan> {
  const { deps, sync, repository, lineageHead } = context;
  const memory = target.folders
    ? await loadMemoryFolders(deps.db, {
        repositoryId: repository.id,
        branch: sync.branch,
        folders: target.folders,
      })
    : await context.memoryTree();
  const diff = computeTreeDiff(memory, target.tree);
  if (target.folders) {
    // Only the touched folders were compared: every other file of the branch is unchanged.
    const total = await countMemoryEntries(deps.db, { repositoryId: repository.id, branch: sync.branch });
    diff.counts.unchanged += total - memory.size;
  }

  let counts = diff.counts;
  let base = lineageHead;
  if (
    !target.folders &&
    memory.size === 0 &&
    sync.branch !== repository.defaultBranch &&
    sync.trigger !== "restore" &&
    !sync.deletesBranch
  ) {
    const defaultHead = await deps.db.projectSync.findFirst({
      where: { repositoryId: repository.id, branch: repository.defaultBranch, status: "succeeded" },
      orderBy: { generation: "desc" },
    });
    if (defaultHead) {
      base = defaultHead;
      const defaultMemory = await loadMemoryTree(deps.db, {
        repositoryId: repository.id,
        branch: repository.defaultBranch,
      });
      counts = computeTreeDiff(defaultMemory, target.tree).counts;
    }
  }

  const candidates = new Map<string, { size: number; path: string; mode: string }>();
  const submoduleShas = new Set<string>();
  // A full resync re-reads every file of the tree; otherwise only the entries this sync writes can need content —
  // unless the repository config changed: a raised size cap wants the content of files memory keeps without it.
  const configChanged =
    lineageHead !== null && (lineageHead.configDigest ?? null) !== (deps.configDigest ?? null);
  const paths = sync.full || configChanged ? [...target.tree.keys()] : diff.insert.map((entry) => entry.path);
  for (const path of paths) {
    const entry = target.tree.get(path);
    if (!entry) continue;
    if (entry.mode === SUBMODULE_MODE) submoduleShas.add(entry.sha);
    else if (!candidates.has(entry.sha))
      candidates.set(entry.sha, { size: entry.size ?? 0, path, mode: entry.mode });
  }
  // A restore brings back versions memory held before, so their objects are stored; it never calls GitHub.
  if (sync.trigger === "restore") candidates.clear();
  const missing = sync.full
    ? new Set(candidates.keys())
    : await findMissingBlobs(deps.db, {
        repositoryId: repository.id,
        shas: [...candidates.keys()],
        maxFileSizeBytes: deps.maxFileSizeBytes,
      });
  const storedSubmodules = await findMissingBlobs(deps.db, {
    repositoryId: repository.id,
    shas: [...submoduleShas],
    maxFileSizeBytes: deps.maxFileSizeBytes,
  });

  const fetch = [...missing].sort().map((sha) => {
    const candidate = candidates.get(sha) as { size: number; path: string; mode: string };
    return { sha, ...candidate };
  });
  let treeBlobs = 0;
  for (const entry of target.tree.values()) if (entry.mode !== SUBMODULE_MODE) treeBlobs += 1;
  return {
    baseSyncId: base?.id ?? null,
    baseSha: base?.headSha ?? null,
    supersede: diff.supersede,
    insert: diff.insert,
    counts,
    fetch,
    archive: fetch.length >= ARCHIVE_MIN_BLOBS && fetch.length >= ARCHIVE_MIN_SHARE * treeBlobs,
    submodules: [...storedSubmodules].sort(),
  };
}
