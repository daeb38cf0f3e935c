import type { Repository } from "../generated/prisma/client.js";
import { fetchBranches } from "../github/fetch-branches.js";
import type { GitHubClient } from "../github/github-client.js";
import type { RecordSyncDeps } from "../queue/record-sync.js";
import { recordSync } from "../queue/record-sync.js";
import { isBranchTracked } from "../repo-config/is-branch-tracked.js";

type BranchState = { branch: string; headSha: string | null; deletesBranch: boolean; id: string };

/**
 * Pushes this app never heard of — GitHub does not redeliver webhooks missed while the app was down or unreachable —
 * caught up: the repository's branch heads (one request per 100 branches) against memory. A branch memory keeps (or
 * the default branch) whose head is not the one memory holds, nor one already queued or running, gets a `reconcile`
 * sync at that head; a branch gone from GitHub whose memory is still there gets a sync that retires it. The delivery id names the state it
 * starts from, so processes reconciling at once queue each catch-up once. Resolves to the number of syncs queued.
 */
export async function catchUpBranches(
  deps: RecordSyncDeps,
  client: GitHubClient,
  repository: Repository,
): Promise<number> {
  if (repository.configError) return 0;
  const { db } = deps.service;
  const branches = await fetchBranches({ client, owner: repository.owner, repo: repository.name });
  // Per branch: what memory holds (its newest successful sync) and what is on its way (queued or running syncs).
  const heads = await db.$queryRaw<BranchState[]>`
    SELECT DISTINCT ON (branch) branch, "headSha", "deletesBranch", id
    FROM "ProjectSync"
    WHERE "repositoryId" = ${repository.id}::uuid AND status = 'succeeded'
    ORDER BY branch, generation DESC`;
  const pending = await db.projectSync.findMany({
    where: { repositoryId: repository.id, status: { in: ["queued", "running"] } },
    select: { branch: true, headSha: true, deletesBranch: true },
  });
  const memory = new Map(heads.map((head) => [head.branch, head]));
  // A queued sync with no head yet syncs whatever the head is when it runs.
  const onItsWay = (branch: string, headSha: string | null) =>
    pending.some(
      (sync) =>
        sync.branch === branch &&
        (headSha === null
          ? sync.deletesBranch
          : sync.headSha === headSha || (sync.headSha === null && !sync.deletesBranch)),
    );

  let queued = 0;
  const queue = async (branch: string, headSha: string | null, from: BranchState | undefined) => {
    const result = await recordSync(deps, {
      repository,
      branch,
      trigger: "reconcile",
      deliveryId: `reconcile:${repository.githubId}:${branch}:${from?.id ?? "none"}:${headSha ?? "deleted"}`,
      ...(headSha === null ? { deletesBranch: true } : { headSha, checkRun: true }),
    });
    if (result.created) queued += 1;
  };
  for (const { name, headSha } of branches) {
    if (!isBranchTracked(repository, name)) continue;
    const held = memory.get(name);
    // Only branches memory keeps (and the default branch): a repository's other branches are synced from their
    // first push on, not all at once because the app restarted.
    const kept = held !== undefined && !held.deletesBranch;
    if (!kept && name !== repository.defaultBranch) continue;
    if (kept && held.headSha === headSha) continue;
    if (onItsWay(name, headSha)) continue;
    await queue(name, headSha, held);
  }
  const listed = new Set(branches.map((branch) => branch.name));
  for (const held of memory.values()) {
    if (held.deletesBranch || listed.has(held.branch) || onItsWay(held.branch, null)) continue;
    await queue(held.branch, null, held);
  }
  return queued;
}
