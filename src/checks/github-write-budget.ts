import type { Db } from "../db/create-prisma-client.js";

/**
 * How much a write matters when the budget is short: completing what a user sees in progress comes first, creating a
 * check run next, progress updates last (the completion shows the end anyway).
 */
export type WritePriority = "complete" | "create" | "progress";

export type WriteGrant = { granted: true } | { granted: false; retryAt: Date };

/** GitHub's secondary limits on content-creating requests, shared by every process of the app. */
export type GitHubWriteBudget = {
  /** takes one write for `key` (an installation) if the budget allows one at this priority */
  take(key: string, priority: WritePriority): Promise<WriteGrant>;
};

export type CreateGitHubWriteBudgetOptions = {
  db: Db;
  now: () => Date;
  /** writes in any 60 s (GitHub documents 80); 0: no budget */
  perMinute: number;
  /** writes in any hour (GitHub documents 500); 0: no budget */
  perHour: number;
};

// The share of each window a priority must leave for the ones above it.
const RESERVE: Record<WritePriority, number> = { complete: 0, create: 0.1, progress: 0.5 };
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
// The budget's own lock space (the first key of two-key advisory locks).
const BUDGET_LOCK_NAMESPACE = 0x4257_4254;

/**
 * A sliding-window log per installation in PostgreSQL: a write is granted only when the writes of the last minute
 * and of the last hour leave room for it at its priority, so the app never makes more writes in any 60 s or any
 * hour than GitHub allows, whichever processes make them. A write that must wait learns when the window has room.
 * @example const grant = await budget.take(`installation:${id}`, "create"); if (!grant.granted) later(grant.retryAt);
 */
export function createGitHubWriteBudget(options: CreateGitHubWriteBudgetOptions): GitHubWriteBudget {
  const { db } = options;
  if (options.perMinute <= 0 || options.perHour <= 0) return { take: async () => ({ granted: true }) };
  return {
    async take(key, priority) {
      const at = options.now();
      const minuteRoom = Math.floor(options.perMinute * (1 - RESERVE[priority]));
      const hourRoom = Math.floor(options.perHour * (1 - RESERVE[priority]));
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BUDGET_LOCK_NAMESPACE}::int, hashtext(${key}))`;
        const hourAgo = new Date(at.getTime() - HOUR_MS);
        // newest first: the n-th newest write of a window is the one that must leave it before the next may go
        const recent = await tx.$queryRaw<{ at: Date }[]>`
          SELECT at FROM "GitHubWrite" WHERE key = ${key} AND at > ${hourAgo}::timestamptz
          ORDER BY at DESC LIMIT ${Math.max(options.perHour, options.perMinute)}`;
        const inMinute = recent.filter((write) => write.at.getTime() > at.getTime() - MINUTE_MS);
        const waits: number[] = [];
        if (inMinute.length >= minuteRoom) waits.push(leaves(inMinute, minuteRoom, MINUTE_MS));
        if (recent.length >= hourRoom) waits.push(leaves(recent, hourRoom, HOUR_MS));
        if (waits.length > 0)
          return { granted: false, retryAt: new Date(Math.max(...waits, at.getTime() + 1)) };
        await tx.$executeRaw`INSERT INTO "GitHubWrite" (key, at) VALUES (${key}, ${at}::timestamptz)`;
        // the log keeps one hour; older rows go as writes happen
        await tx.$executeRaw`DELETE FROM "GitHubWrite" WHERE key = ${key} AND at <= ${hourAgo}::timestamptz`;
        return { granted: true };
      });
    },
  };
}

/** When the window has room for one more: the write that must leave it is the `room`-th newest (0 room: now+window). */
function leaves(newestFirst: readonly { at: Date }[], room: number, windowMs: number): number {
  const leaving = newestFirst[Math.max(0, room - 1)] ?? newestFirst.at(-1);
  return (leaving?.at.getTime() ?? 0) + windowMs + 1;
}

/** The budget key of a repository's writes: its installation's (GitHub counts per installation token). */
export function writeBudgetKey(repository: {
  installationId: bigint | number | null;
  owner: string;
  name: string;
}): string {
  return repository.installationId !== null
    ? `installation:${repository.installationId}`
    : `repository:${repository.owner}/${repository.name}`.toLowerCase();
}
