import { AppError } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";

/**
 * Locks a running sync's row until the caller's transaction ends, or throws CONFLICT when it is no longer running: a
 * sync declared dead (no heartbeat) or cancelled meanwhile must not come back to life and write memory. A sweep skips
 * locked rows, so it cannot declare the sync dead while the transaction commits.
 */
export async function lockRunningSync(tx: Prisma.TransactionClient, syncId: string): Promise<void> {
  const [own] = await tx.$queryRaw<{ status: string }[]>`
    SELECT status FROM "ProjectSync" WHERE id = ${syncId}::uuid FOR UPDATE`;
  if (own?.status !== "running") {
    throw new AppError(
      "CONFLICT",
      `Sync ${syncId} is ${own?.status ?? "gone"}; its changes were not applied.`,
    );
  }
}
