import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { readMemoryPage } from "../../service/read-memory.js";
import type { McpDeps } from "../mcp-deps.js";
import {
  branchField,
  cursorField,
  limitField,
  pathPrefixField,
  repositoryField,
  syncIdField,
} from "../mcp-input-fields.js";
import { asOf, resolveRepository } from "../resolve-repository.js";
import { fitPage, jsonResult } from "../result-cap.js";
import { runTool } from "../tool-error.js";

export function registerListFilesTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "list_files",
    {
      title: "List files",
      description:
        "The files of a branch's memory, by path: size, and why content is not stored (omitted: binary, too_large, submodule). Filter by path prefix; asOfSyncId lists memory as it was right after that successful sync. Paged: pass nextCursor back as cursor. Read a file with read_file, or as the resource memory://{owner}/{repo}/{branch}/{path}.",
      inputSchema: {
        repository: repositoryField,
        branch: branchField.optional(),
        path: pathPrefixField.optional(),
        asOfSyncId: syncIdField.optional().describe("a successful sync: memory as it was right after it"),
        cursor: cursorField.optional(),
        limit: limitField(1000, 200).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      runTool(deps.service.log, async () => {
        const repository = await resolveRepository(deps, input);
        const page = await readMemoryPage(deps.service, {
          repository,
          branch: input.branch,
          pathPrefix: input.path,
          asOfSyncId: await asOf(deps, input.asOfSyncId),
          cursor: input.cursor,
          limit: input.limit ?? 200,
        });
        const files = page.entries.map((entry) => ({
          path: entry.path,
          size: entry.size,
          ...(entry.omitted ? { omitted: entry.omitted } : {}),
        }));
        return jsonResult(
          fitPage(files, (kept, cut) => ({
            repository: `${repository.owner}/${repository.name}`,
            branch: input.branch ?? repository.defaultBranch,
            asOfSyncId: input.asOfSyncId ?? null,
            files: kept,
            nextCursor: cut ? (kept.at(-1)?.path ?? null) : page.nextCursor,
          })),
        );
      }),
  );
}
