import type { Db } from "../db/create-prisma-client.js";
import type { SyncEvent } from "./sync-event.js";

/**
 * Stores an event so any process can replay it (status page, SSE reconnects), and moves the sync's phase and
 * heartbeat with it.
 */
export async function recordSyncEvent(db: Db, event: SyncEvent): Promise<void> {
  await db.$transaction([
    db.projectSyncEvent.create({ data: { syncId: event.syncId, type: event.type, payload: event } }),
    db.projectSync.update({
      where: { id: event.syncId },
      data: { phase: event.phase, heartbeatAt: new Date(event.at) },
    }),
  ]);
}
