import { AppError } from "../../errors.js";
import { type PurgeCounts, previewPurge, purgeRepository } from "../../service/purge-repository.js";
import { printable } from "../format-text.js";
import { reportCliError } from "../report-cli-error.js";
import type { CommandContext } from "./command-context.js";

export type PurgeCommandOptions = { repository: string; yes: boolean; force: boolean };

/**
 * `purge <owner/repo> --yes [--force]`: deletes the repository's memory and history. Without --yes nothing is
 * deleted: a usage error (exit 2) says what would be.
 */
export async function runPurgeCommand(
  context: CommandContext,
  options: PurgeCommandOptions,
): Promise<number> {
  if (!options.yes) {
    const preview = await previewPurge(context.deps, options.repository);
    const force =
      preview.active && !options.force ? " --force (the GitHub App is still installed on it)" : "";
    const message = `purge deletes the memory and history of ${preview.repository}: ${describe(preview.wouldDelete)}. Run it again with --yes${force ? ` and${force}` : ""} to delete them.`;
    return reportCliError(new AppError("BAD_INPUT", message), {
      out: context.out,
      display: context.display,
      json: context.json,
      usage: true,
      debug: false,
    });
  }
  const result = await purgeRepository(context.deps, options.repository, { force: options.force });
  if (context.json) {
    await context.out.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  await context.out.write(`Purged ${printable(result.repository)}: ${describe(result.deleted)} deleted.\n`);
  return 0;
}

function describe(counts: PurgeCounts): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [
    count(counts.syncs, "sync", "syncs"),
    count(counts.entries, "memory entry", "memory entries"),
    count(counts.files, "stored file", "stored files"),
  ].join(", ");
}
