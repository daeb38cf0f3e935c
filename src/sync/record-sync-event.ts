import type { Db } from "../db/create-prisma-client.js";
import type { SyncEvent } from "./sync-event.js";

/**
 * Stores an event so any process can replay it (status page, SSE reconnects), and moves the sync's phase and
 * heartbeat with it. Returns false when the sync is no longer running (another process declared it dead, or it was
 * cancelled): the caller must stop. One statement (the update and the insert in one CTE), so one round trip and one
 * commit: a sync records five or six of these on the path of every push.
 */
export async function recordSyncEvent(db: Pick<Db, "$queryRaw">, event: SyncEvent): Promise<boolean> {
  const payload = JSON.stringify(event);
  if (event.type === "status") {
    await db.$queryRaw`
      INSERT INTO "ProjectSyncEvent" ("syncId", type, payload)
      VALUES (${event.syncId}::uuid, ${event.type}, ${payload}::jsonb)
      RETURNING id`;
    return true;
  }
  const at = new Date(event.at);
  const stored = await db.$queryRaw<{ id: bigint }[]>`
    WITH moved AS (
      UPDATE "ProjectSync"
      SET phase = ${event.phase}::"SyncPhase", "heartbeatAt" = ${at}, "updatedAt" = now()
      WHERE id = ${event.syncId}::uuid AND status = 'running'
      RETURNING id
    )
    INSERT INTO "ProjectSyncEvent" ("syncId", type, payload)
    SELECT id, ${event.type}, ${payload}::jsonb FROM moved
    RETURNING id`;
  return stored.length > 0;
}
