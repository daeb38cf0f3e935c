import type { FilePatch } from "../compare/build-file-patch.js";
import { comparePaths } from "../compare/compare-paths.js";
import { type ChangeTotals, compareStates, type FileChange } from "../compare/compare-states.js";
import { AppError } from "../errors.js";
import { diffMemoryStates } from "../memory/diff-memory-states.js";
import { buildPagePatches } from "./build-page-patches.js";
import { type ComparableSync, findComparableSync } from "./find-comparable-sync.js";
import { loadSpanSignatures } from "./load-span-signatures.js";
import type { ServiceDeps } from "./service-deps.js";

/** A compared sync: which state of which branch. */
export type SyncRef = { id: string; branch: string; headSha: string | null; generation: number };

/** A changed path, and with `patches` its unified diff. */
export type SyncFileChange = FileChange & { patch?: FilePatch };

/** A page of the changes between two syncs' memory (the REST answer, the CLI's --json). */
export type SyncComparison = {
  repository: string;
  /** null: compared with no memory at all (a branch's first sync) */
  from: SyncRef | null;
  to: SyncRef;
  /** the path prefix compared (null: every path); renames are looked for under it only, as `git diff -M -- <prefix>` */
  path: string | null;
  /** every change under the prefix, whatever the page */
  totals: ChangeTotals;
  renames: { inexact: boolean; reason: string | null };
  /** the page, sorted by path in byte order (a rename at its new path) */
  changes: SyncFileChange[];
  /** pass as `cursor` for the next page; null on the last */
  nextCursor: string | null;
};

export type ComparePageOptions = {
  pathPrefix?: string;
  /** the last path of the previous page */
  cursor?: string;
  /** page size, 1 to 1000 (default 100) */
  limit?: number;
  /** include each file's unified diff (bounded per file and per page) */
  patches?: boolean;
};

export const MAX_COMPARE_LIMIT = 1000;

/**
 * The changes from one successful sync's memory to another's, of one repository (any branches, either order), as
 * `git diff -M <from> <to>` names them.
 * @example await compareSyncs(deps, { fromSyncId, toSyncId, limit: 100, patches: true })
 */
export async function compareSyncs(
  deps: Pick<ServiceDeps, "db">,
  options: ComparePageOptions & { fromSyncId: string; toSyncId: string },
): Promise<SyncComparison> {
  const from = await findComparableSync(deps, options.fromSyncId);
  const to = await findComparableSync(deps, options.toSyncId);
  if (from.repositoryId !== to.repositoryId) {
    throw new AppError(
      "BAD_INPUT",
      `Sync ${from.id} is of ${from.repository} and sync ${to.id} of ${to.repository}: only syncs of one repository can be compared.`,
    );
  }
  return comparePage(deps, { from, to, ...options });
}

/** The changes one successful sync made: its memory against its branch's previous sync (everything, for a first). */
export async function compareWithPrevious(
  deps: Pick<ServiceDeps, "db">,
  options: ComparePageOptions & { syncId: string },
): Promise<SyncComparison> {
  const to = await findComparableSync(deps, options.syncId);
  const from = to.previousSyncId ? await findComparableSync(deps, to.previousSyncId) : null;
  return comparePage(deps, { from, to, ...options });
}

async function comparePage(
  deps: Pick<ServiceDeps, "db">,
  options: ComparePageOptions & { from: ComparableSync | null; to: ComparableSync },
): Promise<SyncComparison> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_COMPARE_LIMIT) {
    throw new AppError("BAD_INPUT", `limit must be a whole number from 1 to ${MAX_COMPARE_LIMIT}.`);
  }
  const { from, to } = options;
  const repositoryId = to.repositoryId;
  const differences = await diffMemoryStates(deps.db, {
    repositoryId,
    from: from && { branch: from.branch, generation: from.generation },
    to: { branch: to.branch, generation: to.generation },
    pathPrefix: options.pathPrefix,
  });
  const compared = await compareStates({
    differences,
    loadSignatures: (sides) => loadSpanSignatures(deps, repositoryId, sides),
  });
  const after = options.cursor;
  const rest =
    after === undefined ? compared.changes : compared.changes.filter((c) => comparePaths(c.path, after) > 0);
  const page: SyncFileChange[] = rest.slice(0, limit);
  if (options.patches) await buildPagePatches(deps, repositoryId, page);
  return {
    repository: to.repository,
    from: from && refOf(from),
    to: refOf(to),
    path: options.pathPrefix ?? null,
    totals: compared.totals,
    renames: compared.renames,
    changes: page,
    nextCursor: rest.length > limit ? (page.at(-1)?.path ?? null) : null,
  };
}

function refOf(sync: ComparableSync): SyncRef {
  return { id: sync.id, branch: sync.branch, headSha: sync.headSha, generation: sync.generation };
}
