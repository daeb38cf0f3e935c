import { requestRestore } from "../../service/request-restore.js";
import type { CommandContext } from "./command-context.js";
import { executeWithProgress } from "./execute-with-progress.js";
import { printSync } from "./print-sync.js";

/** `restore <sync-id>`: memory back to its state after that sync, as a new sync; exit 1 when it failed. */
export async function runRestoreCommand(
  context: CommandContext,
  options: { syncId: string },
): Promise<number> {
  const queued = await requestRestore(context.deps, { syncId: options.syncId });
  context.display.line(
    `Restoring ${queued.branch} to its memory after sync ${options.syncId}: sync ${queued.id}`,
  );
  const sync = await executeWithProgress(context, queued.id);
  await printSync(context, sync);
  return sync.status === "succeeded" ? 0 : 1;
}
