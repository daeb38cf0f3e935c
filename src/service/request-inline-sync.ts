import type { ProjectSync, Repository } from "../generated/prisma/client.js";
import type { SyncTrigger } from "../generated/prisma/enums.js";
import { type EnqueueSyncOptions, enqueueSync, parseEnqueueInput } from "../sync-record/enqueue-sync.js";
import { findBranchHead } from "./find-branch-head.js";
import type { ServiceDeps } from "./service-deps.js";

export type RequestInlineSyncOptions = {
  repository: Repository;
  /** the repository's default branch when absent */
  branch?: string;
  /** re-read every file from GitHub instead of trusting stored content */
  full?: boolean;
  trigger: Exclude<SyncTrigger, "restore">;
  /** the commit to sync (a push's `after`); the branch head is looked up when absent */
  headSha?: string;
  requestedBy?: string;
};

/**
 * A sync of a branch that the caller runs itself right away (the CLI; then executeSync), queued through the one door
 * (enqueueSync) as `inline`: no queue worker takes it. When no head is given the branch head is resolved now, so an
 * unknown branch is refused before anything is written.
 */
export async function requestInlineSync(
  deps: ServiceDeps,
  options: RequestInlineSyncOptions,
): Promise<ProjectSync> {
  const request: EnqueueSyncOptions = { ...options, inline: true };
  // a misspelt branch is refused before GitHub is asked for its head
  const { branch } = parseEnqueueInput(request);
  const headSha = options.headSha ?? (await findBranchHead(deps, options.repository, branch));
  const { sync } = await enqueueSync(deps, { ...request, branch, headSha });
  return sync;
}
