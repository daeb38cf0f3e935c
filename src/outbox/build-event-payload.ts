import type { Db } from "../db/create-prisma-client.js";
import { AppError } from "../errors.js";
import { listSyncChanges, type SyncChange } from "../memory/list-sync-changes.js";

/** The change feed's event types. */
export const EVENT_TYPES = ["sync.succeeded", "sync.failed", "branch.deleted"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Every payload stays under this many bytes (the changed paths are cut to fit). */
export const MAX_PAYLOAD_BYTES = 20 * 1024 - 1;
/** At most this many changed paths are listed; the rest are at `changesUrl`. */
export const MAX_CHANGED_PATHS = 100;
const MAX_ERROR_LENGTH = 2_000;

export type EventPayloadSource = {
  event: { id: string; type: string; syncId: string; createdAt: Date };
  /** PUBLIC_URL: links are absolute under it, else paths on the app's own host */
  publicUrl?: string;
};

/**
 * The JSON body of one event, the Standard Webhooks way: `{ type, timestamp, data }`. Built from the sync's record,
 * which never changes once the sync ended, so the body is the same whenever it is built; it is stored at the first
 * delivery and every attempt sends those bytes.
 * @example JSON.parse(await buildEventPayload(db, { event })).data.changedPaths
 */
export async function buildEventPayload(db: Db, source: EventPayloadSource): Promise<string> {
  const { event } = source;
  const sync = await db.projectSync.findUnique({
    where: { id: event.syncId },
    include: { repository: true },
  });
  if (!sync) throw new AppError("SYNC_NOT_FOUND", `The sync ${event.syncId} of event ${event.id} is gone.`);
  const base = (source.publicUrl ?? "").replace(/\/+$/, "");
  const common = {
    repository: {
      owner: sync.repository.owner,
      name: sync.repository.name,
      fullName: `${sync.repository.owner}/${sync.repository.name}`,
      githubId: sync.repository.githubId === null ? null : Number(sync.repository.githubId),
    },
    branch: sync.branch,
    syncId: sync.id,
    trigger: sync.trigger,
    finishedAt: sync.finishedAt?.toISOString() ?? null,
    syncUrl: `${base}/syncs/${sync.id}`,
  };
  const envelope = (data: Record<string, unknown>) =>
    JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data });
  if (event.type === "sync.failed") {
    return envelope({
      ...common,
      headSha: sync.headSha,
      attempt: sync.attempt,
      error: { code: sync.errorCode ?? "INTERNAL", message: (sync.error ?? "").slice(0, MAX_ERROR_LENGTH) },
    });
  }
  const lineage = { ...common, previousSyncId: sync.previousSyncId, headSha: sync.headSha };
  if (event.type === "branch.deleted") return envelope(lineage);
  const { changes, totals } = await listSyncChanges(db, { syncId: sync.id, limit: MAX_CHANGED_PATHS });
  const total = totals.added + totals.modified + totals.removed + totals.renamed;
  const data = {
    ...lineage,
    counts: {
      added: sync.added,
      modified: sync.modified,
      removed: sync.removed,
      renamed: sync.renamed,
      unchanged: sync.unchanged,
    },
    changesUrl: `${base}/api/v1/syncs/${sync.id}/changes`,
    changedPathsTruncated: false /* measured as the longer of the two */,
    changedPaths: [] as SyncChange[],
  };
  const listed = fitPaths(changes, MAX_PAYLOAD_BYTES - Buffer.byteLength(envelope(data)));
  data.changedPaths = listed;
  data.changedPathsTruncated = listed.length < total;
  return envelope(data);
}

/** The first changes whose JSON fits in `budget` bytes (a comma between each). */
function fitPaths(changes: SyncChange[], budget: number): SyncChange[] {
  const listed: SyncChange[] = [];
  let used = 0;
  for (const change of changes) {
    const bytes = Buffer.byteLength(JSON.stringify(change)) + (listed.length > 0 ? 1 : 0);
    if (used + bytes > budget) break;
    listed.push(change);
    used += bytes;
  }
  return listed;
}
