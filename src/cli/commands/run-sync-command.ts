import { ensureRepository } from "../../service/find-repository.js";
import { requestInlineSync } from "../../service/request-inline-sync.js";
import type { CommandContext } from "./command-context.js";
import { executeWithProgress } from "./execute-with-progress.js";
import { printSync } from "./print-sync.js";

export type SyncCommandOptions = { repository: string; branch?: string; full: boolean };

/** `sync <owner/repo>`: a manual sync of a branch, run to its end here; exit 1 when it failed. */
export async function runSyncCommand(context: CommandContext, options: SyncCommandOptions): Promise<number> {
  const repository = await ensureRepository(context.deps, options.repository);
  const queued = await requestInlineSync(context.deps, {
    repository,
    branch: options.branch,
    full: options.full,
    trigger: "manual",
  });
  context.display.line(
    `Syncing ${repository.owner}/${repository.name}@${queued.branch} at ${queued.headSha?.slice(0, 7) ?? "its head"}` +
      `${options.full ? " (full)" : ""}: sync ${queued.id}`,
  );
  const sync = await executeWithProgress(context, queued.id);
  await printSync(context, sync);
  return sync.status === "succeeded" ? 0 : 1;
}
