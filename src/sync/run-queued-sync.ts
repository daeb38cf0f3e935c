import { claimSync } from "../sync-record/claim-sync.js";
import { runSync } from "./run-sync.js";
import type { SyncDeps } from "./sync-context.js";
import type { SyncEvent } from "./sync-event.js";
import type { SyncView } from "./sync-view.js";

/**
 * Claims a queued sync and runs it here (the CLI's inline syncs): the first step throws when the sync cannot start —
 * unknown, not queued, or its branch running in a live process (SYNC_IN_PROGRESS).
 * @example for await (const event of runQueuedSync(deps, queued.id)) show(event);
 */
export async function* runQueuedSync(deps: SyncDeps, syncId: string): AsyncGenerator<SyncEvent, SyncView> {
  const claimed = await claimSync(deps.db, { syncId, now: deps.now });
  return yield* runSync(deps, claimed);
}
