import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import { type SyncView, toSyncView } from "../sync/sync-view.js";
import { parseSyncId } from "./get-sync.js";
import type { ServiceDeps } from "./service-deps.js";

export type ListSyncHistoryOptions = {
  repository: Repository;
  /** every branch when absent */
  branch?: string;
  /** default 50, at most 500 */
  limit?: number;
  /** the id of the last sync of the previous page */
  cursor?: string;
};

/** A repository's syncs, newest first, each with its lineage links (the seed's `history`). */
export async function listSyncHistory(
  deps: Pick<ServiceDeps, "db">,
  options: ListSyncHistoryOptions,
): Promise<{ syncs: SyncView[]; nextCursor: string | null }> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new AppError("BAD_INPUT", "limit must be a whole number from 1 to 500.");
  }
  const where = {
    repositoryId: options.repository.id,
    ...(options.branch ? { branch: options.branch } : {}),
  };
  let cursorFilter = {};
  if (options.cursor) {
    const cursor = await deps.db.projectSync.findFirst({
      where: { ...where, id: parseSyncId(options.cursor) },
      select: { createdAt: true, id: true },
    });
    if (!cursor) throw new AppError("BAD_INPUT", "cursor does not name a sync of this listing.");
    cursorFilter = {
      OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
    };
  }
  const rows = await deps.db.projectSync.findMany({
    where: { ...where, ...cursorFilter },
    include: { repository: { select: { owner: true, name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { syncs: page.map(toSyncView), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
