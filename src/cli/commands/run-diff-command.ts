import { compareSyncs, type SyncComparison } from "../../service/compare-syncs.js";
import type { ServiceDeps } from "../../service/service-deps.js";
import { formatFilePatch, formatNameStatus } from "../format-comparison.js";
import { printable } from "../format-text.js";
import type { CommandContext } from "./command-context.js";

export type DiffCommandOptions = { from: string; to: string; path?: string; patch: boolean };

// The service's largest page; with patches a smaller one, so each page's patch budget covers its files.
const PAGE_SIZE = 1000;
const PATCH_PAGE_SIZE = 50;

/**
 * `diff <from-sync> <to-sync>`: every changed path between two syncs' memory as `git diff --name-status -M` prints
 * them (with --patch, as `git diff -M` does), page after page however many.
 */
export async function runDiffCommand(context: CommandContext, options: DiffCommandOptions): Promise<number> {
  const pages = comparisonPages(context.deps, options);
  if (context.json) {
    await writeComparisonJson(context, pages);
    return 0;
  }
  let last: SyncComparison | undefined;
  for await (const page of pages) {
    const text = page.changes
      .map((change) => (options.patch ? formatFilePatch(change) : formatNameStatus(change)))
      .join("");
    if (text) await context.out.write(text);
    last = page;
  }
  if (last?.renames.reason) context.display.line(`note: ${printable(last.renames.reason)}`);
  return 0;
}

async function* comparisonPages(
  deps: Pick<ServiceDeps, "db">,
  options: DiffCommandOptions,
): AsyncGenerator<SyncComparison> {
  let cursor: string | undefined;
  do {
    const page = await compareSyncs(deps, {
      fromSyncId: options.from,
      toSyncId: options.to,
      pathPrefix: options.path,
      cursor,
      limit: options.patch ? PATCH_PAGE_SIZE : PAGE_SIZE,
      patches: options.patch,
    });
    yield page;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** One JSON document: the comparison's fields (from the first page), then every change, one per line. */
async function writeComparisonJson(
  context: CommandContext,
  pages: AsyncIterable<SyncComparison>,
): Promise<void> {
  let first = true;
  for await (const page of pages) {
    if (first) {
      const { changes: _changes, nextCursor: _cursor, ...head } = page;
      await context.out.write(`${JSON.stringify(head).slice(0, -1)},"changes":[`);
    }
    const lines = page.changes.map((change) => JSON.stringify(change)).join(",\n");
    if (lines) await context.out.write(`${first ? "\n" : ",\n"}${lines}`);
    first = first && !lines;
    if (page.nextCursor === null) await context.out.write(`${first ? "" : "\n"}]}\n`);
  }
}
