import type { Repository } from "../generated/prisma/client.js";
import { findRepositoryWithBranch } from "../service/require-known-branch.js";
import type { McpDeps } from "./mcp-deps.js";

/**
 * The repository a tool names, and the branch when one is named: REPOSITORY_NOT_FOUND or BRANCH_NOT_FOUND (with the
 * closest recorded branch names) before anything is read.
 */
export async function resolveRepository(
  deps: McpDeps,
  input: { repository: string; branch?: string },
): Promise<Repository> {
  return findRepositoryWithBranch(deps.service, input.repository, input.branch);
}
