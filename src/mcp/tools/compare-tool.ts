import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { compareSyncs } from "../../service/compare-syncs.js";
import { comparePageFields, comparePageOptions, comparisonResult } from "../comparison-result.js";
import type { McpDeps } from "../mcp-deps.js";
import { syncIdField } from "../mcp-input-fields.js";
import { runTool } from "../tool-error.js";

export function registerCompareTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "compare",
    {
      title: "Compare two syncs",
      description:
        "The paths that changed from one successful sync's memory to another's (same repository, any branches), as git diff -M names them: added, modified, removed, renamed (with similarity), mode (file mode only), type (file ↔ symlink ↔ submodule); totals count every change. diff: true adds each file's unified diff (use a small limit). Paged by path: pass nextCursor back as cursor. Sync ids come from list_branches, sync_status or changes_since.",
      inputSchema: {
        fromSyncId: syncIdField.describe("the successful sync whose memory is the old side"),
        toSyncId: syncIdField.describe("the successful sync whose memory is the new side"),
        ...comparePageFields,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      runTool(deps.service.log, async () => {
        const comparison = await compareSyncs(deps.service, {
          fromSyncId: await deps.gate.requireSync(input.fromSyncId, "read"),
          toSyncId: await deps.gate.requireSync(input.toSyncId, "read"),
          ...comparePageOptions(input),
        });
        return comparisonResult(comparison);
      }),
  );
}
