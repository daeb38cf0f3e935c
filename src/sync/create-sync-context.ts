import { countRequests } from "../github/count-requests.js";
import { loadMemoryTree, type MemoryTree } from "../memory/load-memory-tree.js";
import type { ClaimedSync } from "../sync-record/claim-sync.js";
import type { SyncContext, SyncDeps } from "./sync-context.js";

/**
 * What the phases of a claimed sync share: its deps with a GitHub client that counts its requests, the branch's
 * lineage head as the sync starts (the memory it changes), and that memory, read once by the first phase needing it.
 */
export async function createSyncContext(deps: SyncDeps, claimed: ClaimedSync): Promise<SyncContext> {
  const { repository, ...sync } = claimed;
  const counter = deps.github ? countRequests(deps.github) : null;
  const lineageHead = await deps.db.projectSync.findFirst({
    where: { repositoryId: sync.repositoryId, branch: sync.branch, status: "succeeded" },
    orderBy: { generation: "desc" },
  });
  let memory: Promise<MemoryTree> | undefined;
  return {
    deps: { ...deps, github: counter?.client ?? null },
    sync,
    repository,
    lineageHead,
    memoryTree: () => {
      memory ??= loadMemoryTree(deps.db, { repositoryId: repository.id, branch: sync.branch });
      return memory;
    },
    githubRequests: () => counter?.stats().requests ?? 0,
  };
}
