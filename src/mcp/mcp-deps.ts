import type { AccessGate } from "../auth/create-access-gate.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { MemoryChangeFeed } from "./memory-change-feed.js";

/**
 * What an MCP server runs with: the services, the feed of finished syncs its resource subscriptions watch, and the
 * access of the session's principal.
 */
export type McpDeps = {
  service: ServiceDeps;
  /** null: no subscriptions are notified (the server still accepts them) */
  feed: MemoryChangeFeed | null;
  /** the running release, as the server names itself to clients */
  version: string;
  /**
   * who the session acts for (the principal that opened it): every tool, resource and notification asks it first.
   * stdio and the laptop: the local principal, all access
   */
  gate: AccessGate;
};
