import type { Db } from "../db/create-prisma-client.js";
import type { ProjectSync, Repository } from "../generated/prisma/client.js";
import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "../logger.js";
import type { MemoryTree } from "../memory/load-memory-tree.js";

/** Everything a sync needs from outside, injected (tests pass a real database, nock'd GitHub, a fixed clock). */
export type SyncDeps = {
  db: Db;
  /** a client authorised for the repository; a restore never calls GitHub and may run without one */
  github: GitHubClient | null;
  now: () => Date;
  log: Logger;
  /** text files larger than this keep path, SHA and size but no content (default 1 MiB) */
  maxFileSizeBytes: number;
  /** paths outside the memory (repository config `paths.include/exclude`); all paths when absent */
  pathFilter?: (path: string) => boolean;
  /** aborting it cancels the sync between two steps; memory stays as it was */
  signal?: AbortSignal;
  /**
   * digest of the repository config this sync applies (recorded on the sync); a head synced under another digest is
   * never taken as unchanged. Absent: no config (null).
   */
  configDigest?: string | null;
  /** trees with at least this many files take the compare path (default COMPARE_MIN_FILES; tests lower it) */
  compareMinFiles?: number;
};

/** One sync as its phases see it. */
export type SyncContext = {
  /** the sync's deps; `github` counts the requests it passes on (see githubRequests) */
  deps: SyncDeps;
  sync: ProjectSync;
  repository: Repository;
  /** the branch's latest successful sync when this one started: its memory is what this sync changes */
  lineageHead: ProjectSync | null;
  /** the branch's memory when this sync started, read once and shared by the phases that need it */
  memoryTree: () => Promise<MemoryTree>;
  /** GitHub requests this sync made so far (recorded on the sync) */
  githubRequests: () => number;
};

/** A path of the tree a sync makes memory equal to, with the blob size when GitHub told it. */
export type TargetTree = Map<string, { mode: string; sha: string; size?: number }>;

export type ResolvedTarget = {
  headSha: string | null;
  treeSha: string | null;
  tree: TargetTree;
  /** the head is the one already synced: nothing to diff, fetch or write */
  unchanged: boolean;
  /** for a tree too big for one listing, the subtrees its walk reached (stored for the next sync's walk) */
  subtrees: Map<string, string> | null;
  /**
   * When set, `tree` holds only the files directly inside these folders (a push that touched nothing else); every
   * other file stays as memory has it.
   */
  folders?: string[];
  /**
   * The repository config the tree was filtered under, when it is not this sync's (a restore brings back a past
   * sync's memory, made under that sync's config): recorded on the sync, so the next one knows what memory holds.
   */
  configDigest?: string | null;
};

export type SyncPlan = {
  baseSyncId: string | null;
  baseSha: string | null;
  supersede: string[];
  insert: { path: string; mode: string; blobSha: string }[];
  counts: { added: number; modified: number; removed: number; renamed: number; unchanged: number };
  /** blobs whose content must be fetched, each with one path where the target tree holds it */
  fetch: { sha: string; size: number; path: string; mode: string }[];
  /** fetch through one archive download instead of content queries (most of the tree is needed) */
  archive: boolean;
  /** submodule commits the repository's object table does not hold yet */
  submodules: string[];
};

export type { MemoryTree };
