import { getSync } from "../../service/get-sync.js";
import type { CommandContext } from "./command-context.js";
import { printSync } from "./print-sync.js";

/** `status <sync-id>`: one sync, whatever its status (the command itself succeeds). */
export async function runStatusCommand(
  context: CommandContext,
  options: { syncId: string },
): Promise<number> {
  await printSync(context, await getSync(context.deps, options.syncId));
  return 0;
}
