import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { encodeSearchCursor, START } from "../../search/search-cursor.js";
import { searchMemory } from "../../service/search-memory.js";
import type { McpDeps } from "../mcp-deps.js";
import { branchField, cursorField, limitField, repositoryField, syncIdField } from "../mcp-input-fields.js";
import { asOf, resolveRepository } from "../resolve-repository.js";
import { fitPage, jsonResult } from "../result-cap.js";
import { runTool } from "../tool-error.js";

export function registerSearchTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "search",
    {
      title: "Search file contents",
      description:
        "Lines matching a literal (default) or an RE2 regular expression (regex: true) in a branch's memory, now or as of a successful sync, like git grep: each result is a file with its first matching lines (line numbers from 1, with a line of context) and how many lines match. Narrow with path (a prefix or a glob such as src/**/*.ts). Paged: pass nextCursor back as cursor; partial: true means the time budget ran out and nextCursor goes on.",
      inputSchema: {
        repository: repositoryField,
        query: z
          .string()
          .min(1)
          .max(1000)
          .describe("what to find: a literal, or an RE2 regular expression with regex"),
        regex: z.boolean().optional().describe("query is an RE2 regular expression (default false)"),
        caseSensitive: z.boolean().optional().describe("default true"),
        branch: branchField.optional(),
        asOfSyncId: syncIdField
          .optional()
          .describe("a successful sync: search memory as it was right after it"),
        path: z
          .string()
          .min(1)
          .max(1000)
          .optional()
          .describe("only paths starting with this prefix, or matching this glob"),
        cursor: cursorField.optional(),
        limit: limitField(50, 20).optional().describe("files per page, 1 to 50 (default 20)"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      runTool(deps.service.log, async () => {
        const repository = await resolveRepository(deps, input);
        const page = await searchMemory(deps.service, {
          repository,
          query: input.query,
          regex: input.regex,
          caseSensitive: input.caseSensitive,
          branch: input.branch,
          asOfSyncId: await asOf(deps, input.asOfSyncId),
          path: input.path,
          cursor: input.cursor,
          limit: input.limit ?? 20,
        });
        const results = page.results.map((result) => ({
          path: result.path,
          ...(result.pathCount > 1
            ? { alsoAt: result.paths.slice(1).map((at) => at.path), pathCount: result.pathCount }
            : {}),
          lineCount: result.lineCount,
          ...(result.lineCountCapped ? { lineCountCapped: true } : {}),
          matches: result.matches.map((match) => ({
            line: match.line,
            text: match.text,
            ...(match.before !== null ? { before: match.before } : {}),
            ...(match.after !== null ? { after: match.after } : {}),
          })),
          blobSha: result.blobSha,
        }));
        return jsonResult(
          fitPage(results, (kept, cut) => ({
            scope: page.scope,
            results: kept,
            partial: page.partial,
            nextCursor: cut ? cursorAfter(kept.at(-1)?.blobSha) : page.nextCursor,
            ...(page.notSearched ? { notSearched: page.notSearched } : {}),
          })),
        );
      }),
  );
}

/** A cursor going on after the last result kept (results come in blob-SHA order). */
function cursorAfter(blobSha: string | undefined): string {
  return encodeSearchCursor({ after: blobSha ?? START.after, width: START.width });
}
