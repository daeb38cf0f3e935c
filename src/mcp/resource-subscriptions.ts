import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { AppError, toAppError } from "../errors.js";
import { findRepository } from "../service/find-repository.js";
import { readMemoryPage } from "../service/read-memory.js";
import type { McpDeps } from "./mcp-deps.js";
import type { MemoryChange } from "./memory-change-feed.js";
import { type MemoryAddress, parseMemoryUri } from "./memory-uri.js";
import { invalidParams, toMcpError } from "./tool-error.js";

// per session: a client watching more files than this should list changes with changes_since instead
export const MAX_SUBSCRIPTIONS = 500;
// owner, repository, branch and a path of GitHub's lengths, percent-encoded
const MAX_URI_LENGTH = 16_000;

/**
 * `resources/subscribe` and `resources/unsubscribe` for one server (one session): a subscribed memory URI gets
 * `notifications/resources/updated` when a sync of its branch changes that file (added, edited, mode changed or
 * removed), when the session's principal may read its repository. A sync's changes never change, so subscribing to
 * them is accepted and never notified.
 * @returns what stops watching (on the session's close)
 */
export function serveResourceSubscriptions(server: Server, deps: McpDeps): () => void {
  const watched = new Map<string, MemoryAddress>();
  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    if (uri.startsWith("project-sync://syncs/")) return {};
    if (uri.length > MAX_URI_LENGTH) throw toMcpError(new AppError("BAD_INPUT", "The URI is too long."));
    const address = invalidParams(() => parseMemoryUri(uri));
    if (!watched.has(uri) && watched.size >= MAX_SUBSCRIPTIONS) {
      throw toMcpError(
        new AppError(
          "BAD_INPUT",
          `This session already watches ${MAX_SUBSCRIPTIONS} files; unsubscribe some, or follow a branch with changes_since.`,
        ),
      );
    }
    watched.set(uri, address);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    watched.delete(request.params.uri);
    return {};
  });
  if (!deps.feed) return () => watched.clear();
  const stop = deps.feed.subscribe((change) => {
    notifyChanged(server, deps, watched, change).catch((error: unknown) =>
      deps.service.log.warn(`Notifying MCP subscribers failed: ${toAppError(error).message}`),
    );
  });
  return () => {
    stop();
    watched.clear();
  };
}

async function notifyChanged(
  server: Server,
  deps: McpDeps,
  watched: Map<string, MemoryAddress>,
  change: MemoryChange,
): Promise<void> {
  const hits = [...watched].filter(
    ([, address]) =>
      `${address.owner}/${address.repo}`.toLowerCase() === change.repositoryKey &&
      address.branch === change.branch,
  );
  if (hits.length === 0) return;
  const repository = await findRepository(deps.service, change.repositoryKey);
  // the session's principal may have lost read access since it subscribed: it hears nothing of what it cannot read
  if (!(await mayRead(deps, repository))) return;
  for (const [uri, address] of hits) {
    const version = (syncId: string | null) => fileVersion(deps, { repository, address, syncId });
    const [before, after] = await Promise.all([version(change.previousSyncId), version(change.syncId)]);
    if (before !== after) await server.sendResourceUpdated({ uri });
  }
}

async function mayRead(deps: McpDeps, repository: { githubId: bigint | null }): Promise<boolean> {
  try {
    await deps.gate.require(repository, "read");
    return true;
  } catch (error) {
    if (toAppError(error).code === "REPOSITORY_NOT_FOUND") return false;
    throw error;
  }
}

/** "mode sha" of the file right after a sync; null when absent (or before the first sync). */
async function fileVersion(
  deps: McpDeps,
  options: {
    repository: Awaited<ReturnType<typeof findRepository>>;
    address: MemoryAddress;
    syncId: string | null;
  },
): Promise<string | null> {
  if (!options.syncId) return null;
  const page = await readMemoryPage(deps.service, {
    repository: options.repository,
    branch: options.address.branch,
    pathPrefix: options.address.path,
    asOfSyncId: options.syncId,
    limit: 1,
  });
  const entry = page.entries[0];
  return entry && entry.path === options.address.path ? `${entry.mode} ${entry.blobSha}` : null;
}
