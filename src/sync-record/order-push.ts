import type { Prisma } from "../generated/prisma/client.js";

/** A push being recorded: its branch, where it takes the branch from and to, and when GitHub says it happened. */
export type IncomingPush = {
  repositoryId: string;
  branch: string;
  /** the push's `before` (the zero SHA when it creates the branch) */
  before: string;
  /** the push's `after` (the zero SHA when it deletes the branch) */
  after: string;
  /** `repository.pushed_at` of the payload (GitHub's clock, whole seconds), when it carries one */
  pushedAt: Date | null;
};

export type PushOrder = {
  /** a request of the branch recorded before and known to be newer: this push is stale */
  newer: { id: string; why: string } | null;
  /** queued syncs whose order against this push cannot be told: kept, and both check the branch head when they run */
  ambiguous: string[];
  /** this push's order against some recorded request cannot be told */
  verify: boolean;
};

// Requests made by hand (a comment, the API, the catch-up) are timed on this app's clock, pushes on GitHub's: within
// this much of each other, neither is taken to be newer.
const CLOCK_MARGIN_MS = 10_000;

type Candidate = {
  id: string;
  trigger: string;
  status: string;
  headSha: string | null;
  pushBefore: string | null;
  deletesBranch: boolean;
  pushedAt: Date | null;
  createdAt: Date;
};

const ZERO = "0".repeat(40);

/**
 * Where a push stands among the branch's recorded requests, whatever order GitHub's deliveries arrived in. Pushes are
 * ordered by GitHub's time of the push; pushes of the same second by their before/after chain (a push whose `before`
 * is the other's `after` comes after it); requests made by hand by the time they were made (with a margin for the two
 * clocks). A newer request makes this push stale. When the order cannot be told — two pushes in one second with no
 * chain between them, a cycle (A→B, B→A), a request made by hand within the margin — neither supersedes the other,
 * and each checks the branch head on GitHub when it runs: memory ends at the newest head either way.
 */
export async function orderPush(tx: Prisma.TransactionClient, push: IncomingPush): Promise<PushOrder> {
  const t = push.pushedAt;
  const order: PushOrder = { newer: null, ambiguous: [], verify: false };
  if (t) {
    const [later] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM "ProjectSync"
      WHERE "repositoryId" = ${push.repositoryId}::uuid AND branch = ${push.branch} AND "pushedAt" > ${t}
      ORDER BY "pushedAt" DESC LIMIT 1`;
    if (later) {
      order.newer = { id: later.id, why: "a push GitHub made later was recorded" };
      return order;
    }
  }
  // The pushes of the same second, and the requests made by hand around the push's time. What has no time to compare
  // with (this push's, or a push recorded without one) is compared with what can still change memory — the syncs
  // queued or running — and with memory itself (the newest successful sync). Stale records (cancelled before they
  // ran) say nothing.
  const since = t ? new Date(t.getTime() - CLOCK_MARGIN_MS) : null;
  const candidates = await tx.$queryRaw<Candidate[]>`
    WITH latest AS (
      SELECT id FROM "ProjectSync"
      WHERE "repositoryId" = ${push.repositoryId}::uuid AND branch = ${push.branch} AND status = 'succeeded'
      ORDER BY generation DESC LIMIT 1
    )
    SELECT id::text AS id, trigger::text AS trigger, status::text AS status, "headSha", "pushBefore", "deletesBranch",
      "pushedAt", "createdAt"
    FROM "ProjectSync"
    WHERE "repositoryId" = ${push.repositoryId}::uuid AND branch = ${push.branch}
      AND (
        (trigger = 'push' AND "pushedAt" = ${t}::timestamp)
        OR (trigger <> 'push' AND "createdAt" >= ${since}::timestamp
            AND NOT (status = 'cancelled' AND "startedAt" IS NULL AND "errorCode" IS NOT DISTINCT FROM 'SUPERSEDED'))
        OR ((${t}::timestamp IS NULL OR (trigger = 'push' AND "pushedAt" IS NULL))
            AND (status IN ('queued', 'running') OR id IN (SELECT id FROM latest)))
      )
    ORDER BY "createdAt" DESC
    LIMIT 50`;
  const chain = createChain(push, candidates);
  for (const other of candidates) {
    const relation = relate(push, other, chain);
    if (relation === "newer") {
      order.newer = { id: other.id, why: whyNewer(other) };
      return order;
    }
    // only what can still decide memory's head makes the order matter: not a failed or cancelled record
    if (relation === "ambiguous" && ["queued", "running", "succeeded"].includes(other.status)) {
      order.verify = true;
      if (other.status === "queued") order.ambiguous.push(other.id);
    }
  }
  return order;
}

/**
 * The before/after chain of the pushes at hand: a push precedes another when its `after` is the other's `before`.
 * `reaches(a, b)` follows that chain, so three pushes of one second delivered newest first are still ordered.
 */
function createChain(push: IncomingPush, candidates: readonly Candidate[]) {
  const pushes = [
    { id: "", before: push.before, after: push.after },
    ...candidates
      .filter((candidate) => candidate.trigger === "push" && candidate.pushBefore !== null)
      .map((candidate) => ({
        id: candidate.id,
        before: candidate.pushBefore as string,
        after: candidate.deletesBranch ? ZERO : (candidate.headSha ?? ZERO),
      })),
  ];
  const byBefore = new Map<string, string[]>();
  for (const entry of pushes) byBefore.set(entry.before, [...(byBefore.get(entry.before) ?? []), entry.id]);
  const afterOf = new Map(pushes.map((entry) => [entry.id, entry.after]));
  return {
    /** whether push `to` comes after push `from` along the chain ("" is the incoming push) */
    reaches(from: string, to: string): boolean {
      const seen = new Set<string>();
      const stack = [...(byBefore.get(afterOf.get(from) ?? "") ?? [])];
      while (stack.length > 0) {
        const id = stack.pop() as string;
        if (id === to) return true;
        if (seen.has(id)) continue;
        seen.add(id);
        stack.push(...(byBefore.get(afterOf.get(id) ?? "") ?? []));
      }
      return false;
    },
  };
}

/** How a recorded request stands against the incoming push: newer, older, or unknown. */
function relate(
  push: IncomingPush,
  other: Candidate,
  chain: ReturnType<typeof createChain>,
): "newer" | "older" | "ambiguous" {
  if (other.trigger === "push") {
    const after = chain.reaches("", other.id); // it came after this one
    const before =
      chain.reaches(other.id, "") ||
      (other.pushBefore === null && other.headSha !== null && push.before === other.headSha);
    if (after && !before) return "newer";
    if (before && !after) return "older";
    return "ambiguous";
  }
  // requested by hand at `createdAt`, with the head it found then (a restore: a state chosen on purpose)
  if (push.pushedAt) {
    const gap = other.createdAt.getTime() - push.pushedAt.getTime();
    if (gap > CLOCK_MARGIN_MS) return "newer";
    if (gap < -CLOCK_MARGIN_MS) return "older";
  }
  if (other.trigger !== "restore" && other.headSha !== null && push.before === other.headSha) return "older";
  return "ambiguous";
}

function whyNewer(other: Candidate): string {
  if (other.trigger === "push") return "a push that continues from this one's head was recorded";
  return `a ${other.trigger} sync was asked for after this push`;
}
