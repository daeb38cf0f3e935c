import { createHash } from "node:crypto";
import type { Repository } from "../generated/prisma/client.js";
import { fetchBranches } from "../github/fetch-branches.js";
import type { GitHubClient } from "../github/github-client.js";
import type { RecordSyncDeps } from "../queue/record-sync.js";
import { recordSync } from "../queue/record-sync.js";
import { isBranchTracked } from "../repo-config/is-branch-tracked.js";

type BranchState = {
  branch: string;
  headSha: string | null;
  deletesBranch: boolean;
  id: string;
  /** for memory put back by a restore: the head the branch had before (the restore holds until GitHub moves on) */
  headBeforeRestore: string | null;
  trigger: string;
};

/**
 * Pushes this app never heard of — GitHub does not redeliver webhooks missed while the app was down or unreachable —
 * caught up: the repository's branch heads (one request per 100 branches) against memory. A branch memory keeps (or
 * the default branch) whose head is not the one memory holds, nor one already queued or running, gets a `reconcile`
 * sync at that head; a branch gone from GitHub whose memory is still there gets a sync that retires it (which checks the
 * branch is still gone when it runs). Memory put back by a restore is left alone until the branch's head moves on
 * GitHub. The delivery id names the state it starts from, so processes reconciling at once queue each catch-up once;
 * one that ended without success is queued again next time. A push recorded after the branch listing makes a
 * catch-up stale (the push knows better). Resolves to the number of syncs queued.
 */
export async function catchUpBranches(
  deps: RecordSyncDeps,
  client: GitHubClient,
  repository: Repository,
): Promise<number> {
  if (repository.configError) return 0;
  const { db } = deps.service;
  const observedAt = deps.service.now();
  const branches = await fetchBranches({ client, owner: repository.owner, repo: repository.name });
  // Per branch: what memory holds (its newest successful sync) and what is on its way (queued or running syncs).
  const heads = await db.$queryRaw<BranchState[]>`
    SELECT DISTINCT ON (s.branch) s.branch, s."headSha", s."deletesBranch", s.id::text AS id, s.trigger::text AS trigger,
      (SELECT p."headSha" FROM "ProjectSync" AS p
        WHERE p."repositoryId" = s."repositoryId" AND p.branch = s.branch AND p.status = 'succeeded'
          AND p.trigger <> 'restore' AND p.generation < s.generation
        ORDER BY p.generation DESC LIMIT 1) AS "headBeforeRestore"
    FROM "ProjectSync" AS s
    WHERE s."repositoryId" = ${repository.id}::uuid AND s.status = 'succeeded'
    ORDER BY s.branch, s.generation DESC`;
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
    const deliveryId = await catchUpDeliveryId(deps, [repository.githubId, branch, from?.id, headSha]);
    if (!deliveryId) return;
    const result = await recordSync(deps, {
      repository,
      branch,
      trigger: "reconcile",
      deliveryId,
      observedAt,
      ...(headSha === null ? { deletesBranch: true } : { headSha, checkRun: true }),
    });
    if (result.created && result.sync.status === "queued") queued += 1;
  };
  for (const { name, headSha } of branches) {
    if (!isBranchTracked(repository, name)) continue;
    const held = memory.get(name);
    // Only branches memory keeps (and the default branch): a repository's other branches are synced from their
    // first push on, not all at once because the app restarted.
    const kept = held !== undefined && !held.deletesBranch;
    if (!kept && name !== repository.defaultBranch) continue;
    // A restore holds until the branch's head moves on GitHub: its memory is older than the head on purpose.
    const heldHead = held?.trigger === "restore" ? (held.headBeforeRestore ?? held.headSha) : held?.headSha;
    if (kept && (held.headSha === headSha || heldHead === headSha)) continue;
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

/**
 * The delivery id of a catch-up: a digest of the state it starts from and where it goes (fixed length, however long the
 * branch name). Null when that catch-up is queued, running or done already; one that failed or was cancelled gets the
 * next numbered id, so it is tried again.
 */
async function catchUpDeliveryId(
  deps: RecordSyncDeps,
  parts: readonly (string | bigint | null | undefined)[],
): Promise<string | null> {
  const base = `reconcile:${createHash("sha256")
    .update(parts.map((part) => String(part ?? "-")).join("\n"))
    .digest("hex")
    .slice(0, 40)}`;
  const earlier = await deps.service.db.projectSync.findMany({
    where: { deliveryId: { startsWith: base } },
    select: { status: true },
  });
  if (earlier.some((sync) => sync.status !== "failed" && sync.status !== "cancelled")) return null;
  return earlier.length === 0 ? base : `${base}:${earlier.length + 1}`;
}
