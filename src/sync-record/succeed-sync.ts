import type { Prisma, ProjectSync } from "../generated/prisma/client.js";

/** What a successful sync records besides its status: lineage link, head, tree, counts and stats. */
export type SucceedSyncFields = Omit<Prisma.ProjectSyncUncheckedUpdateInput, "status" | "id">;

/**
 * running → succeeded, inside phase 4's transaction (after lockRunningSync), so the status changes together with the
 * memory it describes: readers see the whole sync or none of it.
 */
export async function succeedSync(
  tx: Prisma.TransactionClient,
  syncId: string,
  fields: SucceedSyncFields,
): Promise<ProjectSync> {
  return tx.projectSync.update({ where: { id: syncId }, data: { status: "succeeded", ...fields } });
}
