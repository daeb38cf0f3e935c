import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { BranchStatus } from "../../service/read-branch-status.js";
import { readBranchStatus } from "../../service/read-branch-status.js";
import { briefSync } from "../brief-views.js";
import type { McpDeps } from "../mcp-deps.js";
import { branchField, repositoryField } from "../mcp-input-fields.js";
import { resolveRepository } from "../resolve-repository.js";
import { jsonResult } from "../result-cap.js";
import { resyncHint } from "../resync-hint.js";
import { runTool } from "../tool-error.js";

export function registerSyncStatusTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "sync_status",
    {
      title: "Sync status of a branch",
      description:
        "Whether a branch's memory is current: the head memory holds against GitHub's head (stale: true when memory is behind; null when GitHub was not asked), the last sync, the branch's place in the sync queue and how old memory is (ageSeconds). Call it before relying on memory; when stale, the answer says how to resync.",
      inputSchema: { repository: repositoryField, branch: branchField.optional() },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    (input) =>
      runTool(deps.service.log, async () => {
        const repository = await resolveRepository(deps, input);
        const status = await readBranchStatus(deps.service, { repository, branch: input.branch });
        return jsonResult({ ...status, lastSync: briefSync(status.lastSync), advice: advice(status) });
      }),
  );
}

function advice(status: BranchStatus): string {
  const { repository, branch } = status;
  if (status.queued.length > 0) {
    return `A sync of ${branch} is queued (position ${status.queued[0]?.position}); memory moves when it succeeds.`;
  }
  if (!status.synced)
    return `Memory holds nothing of ${branch} yet (no successful sync). ${resyncHint(repository, branch)}`;
  if (status.stale === true) {
    return `Memory is stale: GitHub's ${branch} is at a commit memory does not hold. ${resyncHint(repository, branch)}`;
  }
  if (status.stale === false) return `Memory is at GitHub's head of ${branch}.`;
  if (!status.github.asked) return `GitHub was not asked (${status.github.reason}): memory's view only.`;
  return `GitHub could not be asked for ${branch}'s head; memory's view only.`;
}
