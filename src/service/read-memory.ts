import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import type { MemoryEntryView, MemoryFileView } from "../memory/memory-entry-view.js";
import {
  type MemoryEntryPage,
  readAllMemoryEntries,
  readMemoryEntries,
} from "../memory/read-memory-entries.js";
import { readMemoryFile } from "../memory/read-memory-file.js";
import { parseSyncId } from "./get-sync.js";
import type { ServiceDeps } from "./service-deps.js";

export type ReadMemoryOptions = {
  repository: Repository;
  /** the default branch when absent */
  branch?: string;
  pathPrefix?: string;
  /** a successful sync of the branch: the memory as it was right after it */
  asOfSyncId?: string;
};

type Scope = { repositoryId: string; branch: string; asOfGeneration?: number };

/** A page of a branch's memory. */
export async function readMemoryPage(
  deps: Pick<ServiceDeps, "db">,
  options: ReadMemoryOptions & { limit?: number; cursor?: string },
): Promise<MemoryEntryPage> {
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) {
    throw new AppError("BAD_INPUT", "limit must be a whole number from 1 to 5000.");
  }
  const scope = await resolveScope(deps, options);
  return readMemoryEntries(deps.db, {
    ...scope,
    pathPrefix: options.pathPrefix,
    limit,
    after: options.cursor,
  });
}

/** Every entry of a branch's memory that matches, page by page. */
export async function* readWholeMemory(
  deps: Pick<ServiceDeps, "db">,
  options: ReadMemoryOptions,
): AsyncGenerator<MemoryEntryView[]> {
  const scope = await resolveScope(deps, options);
  yield* readAllMemoryEntries(deps.db, { ...scope, pathPrefix: options.pathPrefix });
}

/** One file with its content; NOT_FOUND when the memory has no such path. */
export async function readMemoryFileAt(
  deps: Pick<ServiceDeps, "db">,
  options: Omit<ReadMemoryOptions, "pathPrefix"> & { path: string },
): Promise<MemoryFileView> {
  const scope = await resolveScope(deps, options);
  const file = await readMemoryFile(deps.db, { ...scope, path: options.path });
  if (!file) throw new AppError("NOT_FOUND", `${options.path} is not in the memory of ${scope.branch}.`);
  return file;
}

export async function resolveScope(
  deps: Pick<ServiceDeps, "db">,
  options: ReadMemoryOptions,
): Promise<Scope> {
  const branch = options.branch ?? options.repository.defaultBranch;
  if (!options.asOfSyncId) return { repositoryId: options.repository.id, branch };
  const id = parseSyncId(options.asOfSyncId);
  const sync = await deps.db.projectSync.findUnique({ where: { id } });
  if (!sync || sync.repositoryId !== options.repository.id) {
    throw new AppError("SYNC_NOT_FOUND", `No sync ${id} in this repository.`);
  }
  if (options.branch && options.branch !== sync.branch) {
    throw new AppError("BAD_INPUT", `Sync ${id} is a sync of ${sync.branch}, not of ${options.branch}.`);
  }
  if (sync.status !== "succeeded" || sync.generation === null) {
    throw new AppError(
      "BAD_INPUT",
      `Sync ${id} is ${sync.status}; memory exists only as of successful syncs.`,
    );
  }
  return { repositoryId: sync.repositoryId, branch: sync.branch, asOfGeneration: sync.generation };
}
