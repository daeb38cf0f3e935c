import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { listRepositories } from "../../service/list-repositories.js";
import { briefSync } from "../brief-views.js";
import type { McpDeps } from "../mcp-deps.js";
import { cursorField, limitField } from "../mcp-input-fields.js";
import { fitPage, jsonResult } from "../result-cap.js";
import { runTool } from "../tool-error.js";

export function registerListRepositoriesTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "list_repositories",
    {
      title: "List repositories",
      description:
        "The GitHub repositories Project Sync keeps a memory of and you may read (a versioned copy of every file of their branches), by name, each with its default branch and that branch's last sync. Start here: the other tools take a repository as owner/name. Paged: pass nextCursor back as cursor.",
      inputSchema: { cursor: cursorField.optional(), limit: limitField(200, 50).optional() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      runTool(deps.service.log, async () => {
        const page = await listRepositories(deps.service, {
          limit: input.limit,
          cursor: input.cursor?.toLowerCase(),
          githubIds: await deps.gate.readableIds(),
        });
        const repos = page.repos.map((repo) => ({
          repository: repo.fullName,
          defaultBranch: repo.defaultBranch,
          private: repo.private,
          active: repo.active,
          lastSync: briefSync(repo.lastSync),
        }));
        return jsonResult(
          fitPage(repos, (kept, cut) => ({
            repositories: kept,
            nextCursor: cut ? (kept.at(-1)?.repository.toLowerCase() ?? null) : page.nextCursor,
          })),
        );
      }),
  );
}
