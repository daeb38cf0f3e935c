import type { Prisma } from "../generated/prisma/client.js";

// The first key of the queue's two-key advisory locks; finalize-sync takes a one-key lock on the same hash, which
// PostgreSQL keeps in a separate space, so queueing never waits for a whole finalize.
const QUEUE_LOCK_NAMESPACE = 0x5359_4e43;

/**
 * Serialises the queue's writes for one branch (enqueue, retry, re-queue) until the transaction ends, so a decision
 * such as "a newer queued sync exists" cannot race another process making the opposite one.
 */
export async function lockBranchQueue(
  tx: Prisma.TransactionClient,
  repositoryId: string,
  branch: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${QUEUE_LOCK_NAMESPACE}::int, hashtext(${repositoryId} || ':' || ${branch}))`;
}
