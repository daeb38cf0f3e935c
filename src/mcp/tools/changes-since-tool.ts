import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { changesSince } from "../../service/changes-since.js";
import { comparePageFields, comparePageOptions, comparisonResult } from "../comparison-result.js";
import type { McpDeps } from "../mcp-deps.js";
import { branchField, repositoryField, syncIdField } from "../mcp-input-fields.js";
import { resolveRepository } from "../resolve-repository.js";
import { runTool } from "../tool-error.js";

export function registerChangesSinceTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "changes_since",
    {
      title: "Changes on a branch since a sync",
      description:
        "Everything that changed on a branch after a successful sync you already read, up to the branch's synced head: what to re-read to bring your own context up to date. Keep the answer's to.syncId and pass it as sinceSyncId next time (an empty changes list: nothing changed). diff: true adds each file's unified diff. Paged by path: pass nextCursor back as cursor.",
      inputSchema: {
        repository: repositoryField,
        branch: branchField.optional(),
        sinceSyncId: syncIdField.describe("the successful sync of this branch your context is as of"),
        ...comparePageFields,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      runTool(deps.service.log, async () => {
        const repository = await resolveRepository(deps, input);
        const comparison = await changesSince(deps.service, {
          repository,
          branch: input.branch,
          sinceSyncId: await deps.gate.requireSync(input.sinceSyncId, "read"),
          ...comparePageOptions(input),
        });
        const upToDate = comparison.from?.id === comparison.to.id;
        return comparisonResult(comparison, { upToDate });
      }),
  );
}
