import { toAppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import { type SyncView, toSyncView } from "../sync/sync-view.js";
import { findBranchHead } from "./find-branch-head.js";
import { findSyncedHead } from "./find-synced-head.js";
import { requireKnownBranch } from "./require-known-branch.js";
import type { ServiceDeps } from "./service-deps.js";

/** Whether a branch's memory is GitHub's branch now, and what the queue holds for it. */
export type BranchStatus = {
  repository: string;
  branch: string;
  /** the last successful sync: what memory holds (null before the first) */
  synced: { syncId: string; headSha: string | null; finishedAt: string | null } | null;
  /** the branch's most recent sync, whatever its status */
  lastSync: SyncView | null;
  /** GitHub's side: its head, or why it was not known */
  github:
    | { asked: true; headSha: string }
    | { asked: false; reason: string }
    | { asked: true; headSha: null; error: { code: string; message: string } };
  /** true: memory is behind GitHub; false: at GitHub's head; null: GitHub's head is unknown */
  stale: boolean | null;
  /** seconds since memory last caught up (the last successful sync finished); null before the first */
  ageSeconds: number | null;
  /** the branch's queued syncs, with their place in the queue every worker takes from (1 = next) */
  queued: { syncId: string; position: number; createdAt: string }[];
};

/**
 * A branch's synced head against GitHub's, its last sync, its place in the queue and how old its memory is. GitHub
 * is asked (one request) only when this process has credentials; otherwise the answer is memory's view and says so.
 */
export async function readBranchStatus(
  deps: ServiceDeps,
  options: { repository: Repository; branch?: string },
): Promise<BranchStatus> {
  const { repository } = options;
  const branch = options.branch ?? repository.defaultBranch;
  await requireKnownBranch(deps, repository, branch);
  const [synced, last, github] = await Promise.all([
    findSyncedHead(deps, repository, branch),
    deps.db.projectSync.findFirst({
      where: { repositoryId: repository.id, branch },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: { repository: { select: { owner: true, name: true } } },
    }),
    askGitHub(deps, repository, branch),
  ]);
  const headSha = "headSha" in github ? github.headSha : null;
  const finished = synced?.finishedAt ? Date.parse(synced.finishedAt) : null;
  return {
    repository: `${repository.owner}/${repository.name}`,
    branch,
    synced: synced && { syncId: synced.id, headSha: synced.headSha, finishedAt: synced.finishedAt },
    lastSync: last ? toSyncView(last) : null,
    github,
    stale: headSha === null ? null : synced?.headSha !== headSha,
    ageSeconds: finished === null ? null : Math.max(0, Math.round((deps.now().getTime() - finished) / 1000)),
    queued: await queuePositions(deps, repository, branch),
  };
}

async function askGitHub(
  deps: ServiceDeps,
  repository: Repository,
  branch: string,
): Promise<BranchStatus["github"]> {
  const client = await deps.githubFor(repository).catch(() => null);
  if (!client) {
    return {
      asked: false,
      reason:
        "this process has no GitHub credentials (GITHUB_TOKEN, or APP_ID and PRIVATE_KEY), so only memory's view is known",
    };
  }
  try {
    return { asked: true, headSha: await findBranchHead(deps, repository, branch) };
  } catch (error) {
    const failure = toAppError(error);
    return { asked: true, headSha: null, error: { code: failure.code, message: failure.message } };
  }
}

/** Each queued sync of the branch with the number of queued syncs (of any repository) taken before it, plus one. */
async function queuePositions(
  deps: Pick<ServiceDeps, "db">,
  repository: Repository,
  branch: string,
): Promise<BranchStatus["queued"]> {
  const queued = await deps.db.projectSync.findMany({
    where: { repositoryId: repository.id, branch, status: "queued" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, createdAt: true },
    take: 10,
  });
  return Promise.all(
    queued.map(async (sync) => ({
      syncId: sync.id,
      position:
        1 +
        (await deps.db.projectSync.count({
          where: {
            status: "queued",
            OR: [{ createdAt: { lt: sync.createdAt } }, { createdAt: sync.createdAt, id: { lt: sync.id } }],
          },
        })),
      createdAt: sync.createdAt.toISOString(),
    })),
  );
}
