import type { SyncView } from "../../sync/sync-view.js";
import { formatSync } from "../format-sync.js";
import type { CommandContext } from "./command-context.js";

/** One sync on stdout: the SyncView as JSON, or aligned "key: value" lines. */
export async function printSync(context: CommandContext, sync: SyncView): Promise<void> {
  await context.out.write(context.json ? `${JSON.stringify(sync, null, 2)}\n` : formatSync(sync));
}
