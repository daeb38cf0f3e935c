import { executeSync } from "../../service/execute-sync.js";
import type { SyncView } from "../../sync/sync-view.js";
import { createSyncProgress } from "../create-sync-progress.js";
import type { CommandContext } from "./command-context.js";

/**
 * Runs a queued sync with its progress on stderr (a bar on a terminal, one line per phase otherwise). Apart from
 * printSync so that `status` does not load the sync engine.
 */
export async function executeWithProgress(context: CommandContext, syncId: string): Promise<SyncView> {
  const progress = createSyncProgress(context.display, { bar: context.display.isTTY && !context.json });
  try {
    return await executeSync(context.deps, { syncId, onEvent: (event) => progress.onEvent(event) });
  } finally {
    progress.finish();
  }
}
