import { executeSync } from "../../service/execute-sync.js";
import type { SyncView } from "../../sync/sync-view.js";
import { createSyncProgress } from "../create-sync-progress.js";
import { formatSync } from "../format-sync.js";
import type { CommandContext } from "./command-context.js";

/** One sync on stdout: the SyncView as JSON, or aligned "key: value" lines. */
export async function printSync(context: CommandContext, sync: SyncView): Promise<void> {
  await context.out.write(context.json ? `${JSON.stringify(sync, null, 2)}\n` : formatSync(sync));
}

/** Runs a queued sync with its progress on stderr (a bar on a terminal, one line per phase otherwise). */
export async function executeWithProgress(context: CommandContext, syncId: string): Promise<SyncView> {
  const progress = createSyncProgress(context.display, { bar: context.display.isTTY && !context.json });
  try {
    return await executeSync(context.deps, { syncId, onEvent: (event) => progress.onEvent(event) });
  } finally {
    progress.finish();
  }
}
