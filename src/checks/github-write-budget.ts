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
  /** writes per minute (GitHub documents 80); 0: no budget */
  perMinute: number;
  /** writes per hour (GitHub documents 500); 0: no budget */
  perHour: number;
};

// The share of each bucket a priority must leave for the ones above it.
const RESERVE: Record<WritePriority, number> = { complete: 0, create: 0.1, progress: 0.5 };

/**
 * Two token buckets per installation in PostgreSQL (a minute's and an hour's), refilled continuously, so writes are
 * spread out rather than refused by GitHub: a write the budget cannot take now gets the time it can. Check runs of a
 * burst of pushes then cost GitHub's limits nothing, whichever processes write them.
 * @example const grant = await budget.take(`installation:${id}`, "create"); if (!grant.granted) later(grant.retryAt);
 */
export function createGitHubWriteBudget(options: CreateGitHubWriteBudgetOptions): GitHubWriteBudget {
  const { db } = options;
  const minute = { capacity: options.perMinute, rate: options.perMinute / 60 };
  const hour = { capacity: options.perHour, rate: options.perHour / 3600 };
  if (minute.capacity <= 0 || hour.capacity <= 0) return { take: async () => ({ granted: true }) };
  return {
    async take(key, priority) {
      const at = options.now();
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`
          INSERT INTO "GitHubWriteBudget" (key, "minuteTokens", "hourTokens", "updatedAt")
          VALUES (${key}, ${minute.capacity}, ${hour.capacity}, ${at}::timestamptz)
          ON CONFLICT (key) DO NOTHING`;
        const [row] = await tx.$queryRaw<{ minuteTokens: number; hourTokens: number; updatedAt: Date }[]>`
          SELECT "minuteTokens", "hourTokens", "updatedAt" FROM "GitHubWriteBudget" WHERE key = ${key} FOR UPDATE`;
        if (!row) return { granted: true };
        const elapsed = Math.max(0, (at.getTime() - row.updatedAt.getTime()) / 1000);
        const minuteTokens = Math.min(minute.capacity, row.minuteTokens + elapsed * minute.rate);
        const hourTokens = Math.min(hour.capacity, row.hourTokens + elapsed * hour.rate);
        const minuteNeed = 1 + RESERVE[priority] * minute.capacity - minuteTokens;
        const hourNeed = 1 + RESERVE[priority] * hour.capacity - hourTokens;
        if (minuteNeed > 0 || hourNeed > 0) {
          const waitSeconds = Math.max(minuteNeed / minute.rate, hourNeed / hour.rate, 0);
          return { granted: false, retryAt: new Date(at.getTime() + Math.ceil(waitSeconds * 1000)) };
        }
        await tx.$executeRaw`
          UPDATE "GitHubWriteBudget"
          SET "minuteTokens" = ${minuteTokens - 1}, "hourTokens" = ${hourTokens - 1}, "updatedAt" = ${at}::timestamptz
          WHERE key = ${key}`;
        return { granted: true };
      });
    },
  };
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
