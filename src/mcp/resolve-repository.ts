import type { Repository } from "../generated/prisma/client.js";
import type { McpDeps } from "./mcp-deps.js";

/**
 * The repository a tool names, once the session's principal may read it, and the branch when one is named:
 * REPOSITORY_NOT_FOUND (alike for unknown and unreadable) or BRANCH_NOT_FOUND (with the closest recorded branch
 * names) before anything is read.
 */
export async function resolveRepository(
  deps: McpDeps,
  input: { repository: string; branch?: string },
): Promise<Repository> {
  return deps.gate.repository(input.repository, input.branch);
}

/** A past sync a tool reads memory as of, once the session's principal may read its repository (absent: now). */
export async function asOf(deps: McpDeps, syncId: string | undefined): Promise<string | undefined> {
  return syncId === undefined ? undefined : deps.gate.requireSync(syncId, "read");
}
