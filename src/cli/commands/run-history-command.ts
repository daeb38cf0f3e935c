import type { Repository } from "../../generated/prisma/client.js";
import { findRepository } from "../../service/find-repository.js";
import { listSyncHistory } from "../../service/list-sync-history.js";
import type { ServiceDeps } from "../../service/service-deps.js";
import type { SyncView } from "../../sync/sync-view.js";
import { formatHistory } from "../format-history.js";
import { printable } from "../format-text.js";
import { writeJsonList } from "../write-json-list.js";
import type { CommandContext } from "./command-context.js";

export type HistoryCommandOptions = { repository: string; branch?: string; limit?: number };

// listSyncHistory's largest page.
const PAGE_SIZE = 500;

/** `history <owner/repo>`: every sync (or the --limit newest), newest first, with their lineage links. */
export async function runHistoryCommand(
  context: CommandContext,
  options: HistoryCommandOptions,
): Promise<number> {
  const repository = await findRepository(context.deps, options.repository);
  const pages = historyPages(context.deps, { repository, branch: options.branch, limit: options.limit });
  if (context.json) {
    await writeJsonList(context.out, "syncs", pages);
    return 0;
  }
  // A table needs its column widths, so the readable listing is collected first; a history is small.
  const syncs: SyncView[] = [];
  for await (const page of pages) syncs.push(...page);
  if (syncs.length === 0) {
    const scope = options.branch ? `${options.repository}@${printable(options.branch)}` : options.repository;
    await context.out.write(`No syncs of ${scope} yet.\n`);
    return 0;
  }
  await context.out.write(formatHistory(syncs));
  return 0;
}

async function* historyPages(
  deps: Pick<ServiceDeps, "db">,
  options: { repository: Repository; branch?: string; limit?: number },
): AsyncGenerator<SyncView[]> {
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  let cursor: string | undefined;
  do {
    const page = await listSyncHistory(deps, {
      repository: options.repository,
      branch: options.branch,
      limit: Math.min(remaining, PAGE_SIZE),
      cursor,
    });
    yield page.syncs;
    remaining -= page.syncs.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && remaining > 0);
}
