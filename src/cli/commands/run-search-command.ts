import { findRepository } from "../../service/find-repository.js";
import { type SearchPage, type SearchResult, searchMemory } from "../../service/search-memory.js";
import { printable } from "../format-text.js";
import type { CliCommand } from "../parse-cli-args.js";
import type { CommandContext } from "./command-context.js";

export type SearchCommandOptions = Omit<Extract<CliCommand, { name: "search" }>, "name" | "json">;

// The CLI waits longer than the API for a page: it is one person at a terminal, not a shared server's request.
const PAGE_BUDGET_MS = 30_000;

/**
 * `search <owner/repo> <query>`: every matching line as `path:line:text` (like `git grep -n`), page after page up to
 * --limit files; --json prints one document. Exit 0 with matches, 1 without (as grep).
 */
export async function runSearchCommand(
  context: CommandContext,
  options: SearchCommandOptions,
): Promise<number> {
  const repository = await findRepository(context.deps, options.repository);
  const max = options.limit ?? 1000;
  const results: SearchResult[] = [];
  let page: SearchPage | undefined;
  let cursor: string | undefined;
  let first: SearchPage | undefined;
  do {
    page = await searchMemory(context.deps, {
      repository,
      query: options.query,
      regex: options.regex,
      caseSensitive: !options.ignoreCase,
      branch: options.branch,
      allBranches: options.allBranches,
      asOfSyncId: options.asOf,
      path: options.path,
      limit: Math.min(100, max - results.length),
      cursor,
      budgetMs: PAGE_BUDGET_MS,
    });
    first ??= page;
    results.push(...page.results);
    if (!context.json) await context.out.write(page.results.map(formatResult).join(""));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && results.length < max);
  const more = cursor !== undefined;
  if (context.json) {
    const { notSearched, method, scanReason, scope } = first;
    await context.out.write(
      `${JSON.stringify({ results, more, partial: page.partial, method, scanReason, notSearched, scope })}\n`,
    );
  } else {
    reportCoverage(context, first, more);
  }
  return results.length > 0 ? 0 : 1;
}

function formatResult(result: SearchResult): string {
  return result.paths
    .flatMap((location) =>
      result.matches.map((match) => `${printable(location.path)}:${match.line}:${printable(match.text)}\n`),
    )
    .join("");
}

function reportCoverage(context: CommandContext, first: SearchPage, more: boolean): void {
  const skipped = first.notSearched;
  const parts = skipped
    ? Object.entries(skipped)
        .filter(([, count]) => count > 0)
        .map(([reason, count]) => `${count} ${reason}`)
    : [];
  if (parts.length > 0) context.display.line(`not searched: ${parts.join(", ")}`);
  if (first.scanReason) context.display.line(`searched without the index: ${first.scanReason}`);
  if (more) context.display.line("more files match: raise --limit to see them");
}
