import type { ProjectSync } from "../generated/prisma/client.js";
import type { SyncEvent } from "../sync/sync-event.js";
import { countsOf } from "../sync/sync-view.js";

/**
 * The final `status` event of a sync that ended without recording one — cancelled while queued (superseded by a newer
 * push), or failed by another process's sweep after its own process died — built from the row.
 */
export function synthesizeStatusEvent(sync: ProjectSync): SyncEvent {
  return {
    type: "status",
    syncId: sync.id,
    status: sync.status,
    phase: sync.phase,
    counts: countsOf(sync),
    progress: null,
    error: sync.errorCode
      ? { code: sync.errorCode, message: sync.error ?? "", retryable: false, retryAt: null }
      : null,
    at: (sync.finishedAt ?? sync.updatedAt).toISOString(),
  };
}
