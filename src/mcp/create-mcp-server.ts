import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "./mcp-deps.js";
import { registerResources } from "./register-resources.js";
import { serveResourceSubscriptions } from "./resource-subscriptions.js";
import { MAX_RESULT_CHARS } from "./result-cap.js";
import { registerChangesSinceTool } from "./tools/changes-since-tool.js";
import { registerCompareTool } from "./tools/compare-tool.js";
import { registerListBranchesTool } from "./tools/list-branches-tool.js";
import { registerListFilesTool } from "./tools/list-files-tool.js";
import { registerListRepositoriesTool } from "./tools/list-repositories-tool.js";
import { registerReadFileTool } from "./tools/read-file-tool.js";
import { registerSearchTool } from "./tools/search-tool.js";
import { registerSyncStatusTool } from "./tools/sync-status-tool.js";

/** One MCP server (one client session) and what ends it. */
export type McpServerHandle = { server: McpServer; close: () => Promise<void> };

const INSTRUCTIONS = `Project Sync keeps a versioned copy ("memory") of GitHub repositories' files, synced on every push.
Start with list_repositories, then list_files / read_file / search on a branch. Before relying on memory, sync_status
says whether it is at GitHub's head. Every answer holds at most ${MAX_RESULT_CHARS} characters: lists are paged (pass
nextCursor back as cursor) and long files are read by line range. To refresh what you read earlier, keep the sync id
you read as of and call changes_since with it.`;

/**
 * An MCP server over the service layer: the eight read tools, the memory and sync-changes resources, and resource
 * subscriptions fed by finished syncs. One per session: connect it to one transport, close it with the session.
 * @example const { server, close } = createMcpServer(deps); await server.connect(new StdioServerTransport());
 */
export function createMcpServer(deps: McpDeps): McpServerHandle {
  const server = new McpServer(
    { name: "project-sync", version: deps.version },
    { capabilities: { resources: { subscribe: true } }, instructions: INSTRUCTIONS },
  );
  registerListRepositoriesTool(server, deps);
  registerListBranchesTool(server, deps);
  registerSyncStatusTool(server, deps);
  registerListFilesTool(server, deps);
  registerReadFileTool(server, deps);
  registerSearchTool(server, deps);
  registerCompareTool(server, deps);
  registerChangesSinceTool(server, deps);
  registerResources(server, deps);
  const stopWatching = serveResourceSubscriptions(server.server, deps);
  return {
    server,
    close: async () => {
      stopWatching();
      await server.close();
    },
  };
}
