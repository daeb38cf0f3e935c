import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import type { GitHubClient } from "../github/github-client.js";
import { type RecordSyncDeps, recordSync } from "../queue/record-sync.js";
import { isBranchTracked } from "../repo-config/is-branch-tracked.js";
import { refreshRepoConfig } from "../repo-config/refresh-repo-config.js";
import { type UpsertRepositoryOptions, upsertRepository } from "../service/upsert-repository.js";
import type { EnqueueResult, EnqueueSyncOptions } from "../sync-record/enqueue-sync.js";

/** A branch to sync, with its head when the caller knows it already (a pull request's head). */
export type SyncTarget = { branch: string; headSha?: string };

/** Why nothing is synced, for the caller to say (a reply, a log line). */
export type SyncRefusal = { refusal: string };

/** The sync's own fields; requestSync adds the repository, the target and an invalid config's failure. */
export type SyncRequest = Omit<EnqueueSyncOptions, "repository" | "branch" | "failWith">;

export type RequestSyncOptions = {
  /** the repository as GitHub names it (upserted by GitHub id), or its row when the caller has just upserted it */
  repository: { upsert: UpsertRepositoryOptions } | { stored: Repository };
  /** the installation's client: reads `.github/project-sync.yml` */
  client: GitHubClient;
  /** when the config is read again first: "always", or as the function says; default: only if it was never read */
  reloadConfig?: "always" | ((repository: Repository) => boolean);
  /** the branch, once the config is known (a pull request's head, a named branch); default: the default branch */
  target?: (repository: Repository) => Promise<SyncTarget | SyncRefusal> | SyncTarget | SyncRefusal;
  /** the sync of a tracked branch (it may read the branch's head, or refuse) */
  sync: (
    repository: Repository,
    target: SyncTarget,
  ) => Promise<SyncRequest | SyncRefusal> | SyncRequest | SyncRefusal;
};

export type RequestSyncResult = { repository: Repository } & (
  | { outcome: "recorded"; branch: string; recorded: EnqueueResult }
  /** the config's `branches` do not include it */
  | { outcome: "untracked"; branch: string }
  | ({ outcome: "refused" } & SyncRefusal)
);

/**
 * What every event that asks for a sync does (push, `/sync`, re-run, installation, reconcile): the repository's row,
 * its config (read again when asked), the branch checked against the config's `branches`, then the sync recorded —
 * failed at once with CONFIG_INVALID when the config is invalid, so its check run tells the user what to fix.
 * @example await requestSync(deps, { repository: { upsert }, client, sync: () => ({ trigger: "install", checkRun: true }) })
 */
export async function requestSync(
  deps: RecordSyncDeps,
  options: RequestSyncOptions,
): Promise<RequestSyncResult> {
  let repository =
    "upsert" in options.repository
      ? await upsertRepository(deps.service, options.repository.upsert)
      : options.repository.stored;
  const { reloadConfig, client } = options;
  const reload =
    reloadConfig === "always" || (reloadConfig ? reloadConfig(repository) : !repository.configLoadedAt);
  if (reload) repository = await refreshRepoConfig(deps.service, { repository, client });

  const target = options.target ? await options.target(repository) : { branch: repository.defaultBranch };
  if ("refusal" in target) return { repository, outcome: "refused", refusal: target.refusal };
  const { branch, headSha } = target;
  if (!isBranchTracked(repository, branch)) return { repository, outcome: "untracked", branch };
  const request = await options.sync(repository, target);
  if ("refusal" in request) return { repository, outcome: "refused", refusal: request.refusal };
  const recorded = await recordSync(deps, {
    repository,
    branch,
    ...(headSha === undefined ? {} : { headSha }),
    ...request,
    ...(repository.configError ? { failWith: new AppError("CONFIG_INVALID", repository.configError) } : {}),
  });
  return { repository, outcome: "recorded", branch, recorded };
}
