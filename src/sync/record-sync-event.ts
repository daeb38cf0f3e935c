import type { Db } from "../db/create-prisma-client.js";
import type { SyncEvent } from "./sync-event.js";

/**
 * Stores an event so any process can replay it (status page, SSE reconnects), and moves the sync's phase and
 * heartbeat with it. Returns false when the sync is no longer running (another process declared it dead, or it was
 * cancelled): the caller must stop.
 */
export async function recordSyncEvent(db: Db, event: SyncEvent): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (event.type !== "status") {
      const { count } = await tx.projectSync.updateMany({
        where: { id: event.syncId, status: "running" },
        data: { phase: event.phase, heartbeatAt: new Date(event.at) },
      });
      if (count === 0) return false;
    }
    await tx.projectSyncEvent.create({ data: { syncId: event.syncId, type: event.type, payload: event } });
    return true;
  });
}
