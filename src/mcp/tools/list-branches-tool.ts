import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { toAppError } from "../../errors.js";
import type { Repository } from "../../generated/prisma/client.js";
import { listBranches } from "../../service/list-branches.js";
import { listMemoryBranches } from "../../service/list-memory-branches.js";
import { briefSync } from "../brief-views.js";
import type { McpDeps } from "../mcp-deps.js";
import { cursorField, limitField, repositoryField } from "../mcp-input-fields.js";
import { resolveRepository } from "../resolve-repository.js";
import { fitPage, jsonResult } from "../result-cap.js";
import { runTool } from "../tool-error.js";

type BranchRow = {
  name: string;
  isDefault: boolean;
  githubHeadSha?: string;
  syncedHeadSha: string | null;
  inSync?: boolean;
  lastSync: ReturnType<typeof briefSync>;
};

export function registerListBranchesTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "list_branches",
    {
      title: "List branches",
      description:
        "A repository's branches by name: the head memory holds (syncedHeadSha) and the branch's last sync; when this server can ask GitHub, also GitHub's head and whether memory is at it (inSync). Paged by branch name.",
      inputSchema: {
        repository: repositoryField,
        cursor: cursorField.optional(),
        limit: limitField(500, 100).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    (input) =>
      runTool(deps.service.log, async () => {
        const repository = await resolveRepository(deps, input);
        const { rows, github } = await branchRows(deps, repository);
        const rest = rows.filter((row) => input.cursor === undefined || row.name > input.cursor);
        const page = rest.slice(0, input.limit ?? 100);
        const more = rest.length > page.length;
        return jsonResult(
          fitPage(page, (kept, cut) => ({
            repository: `${repository.owner}/${repository.name}`,
            github,
            branches: kept,
            nextCursor: cut || more ? (kept.at(-1)?.name ?? null) : null,
          })),
        );
      }),
  );
}

/** GitHub's branches with memory's heads, or memory's alone (and why) when GitHub cannot be asked. */
async function branchRows(
  deps: McpDeps,
  repository: Repository,
): Promise<{ rows: BranchRow[]; github: string }> {
  const memory = await listMemoryBranches(deps.service, repository);
  const synced = new Map(memory.map((branch) => [branch.name, branch.syncedHeadSha]));
  try {
    const branches = await listBranches(deps.service, repository);
    const rows = branches.map((branch) => ({
      name: branch.name,
      isDefault: branch.isDefault,
      githubHeadSha: branch.headSha,
      syncedHeadSha: synced.get(branch.name) ?? null,
      inSync: branch.inSync,
      lastSync: briefSync(branch.lastSync),
    }));
    return { rows: rows.sort((a, b) => compare(a.name, b.name)), github: "asked: GitHub's branches" };
  } catch (error) {
    const failure = toAppError(error);
    const rows = memory.map((branch) => ({
      name: branch.name,
      isDefault: branch.isDefault,
      syncedHeadSha: branch.syncedHeadSha,
      lastSync: briefSync(branch.lastSync),
    }));
    return {
      rows: rows.sort((a, b) => compare(a.name, b.name)),
      github: `not asked or failed (${failure.code}: ${failure.message}); the branches memory has recorded`,
    };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
