import type { ServiceDeps } from "../service/service-deps.js";
import type { MemoryChangeFeed } from "./memory-change-feed.js";

/** What an MCP server runs with: the services, and the feed of finished syncs its resource subscriptions watch. */
export type McpDeps = {
  service: ServiceDeps;
  /** null: no subscriptions are notified (the server still accepts them) */
  feed: MemoryChangeFeed | null;
  /** the running release, as the server names itself to clients */
  version: string;
};
