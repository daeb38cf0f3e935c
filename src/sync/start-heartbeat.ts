import { toAppError } from "../errors.js";
import type { SyncDeps } from "./sync-context.js";

const HEARTBEAT_MS = 15_000;

/**
 * Moves a running sync's heartbeat every 15 s while its phases work, so the sweep of any process can tell a live
 * sync from one whose process hung (no heartbeat for STALE_AFTER_MS). Returns the function that stops it.
 */
export function startHeartbeat(deps: Pick<SyncDeps, "db" | "now" | "log">, syncId: string): () => void {
  const heartbeat = setInterval(() => {
    deps.db.projectSync
      .updateMany({ where: { id: syncId, status: "running" }, data: { heartbeatAt: deps.now() } })
      .catch((error: unknown) =>
        deps.log.warn(`heartbeat of sync ${syncId} failed: ${toAppError(error).message}`),
      );
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return () => clearInterval(heartbeat);
}
