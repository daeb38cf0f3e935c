import type { Db } from "../src/db/create-prisma-client.js";

/**
 * Gives the repository `to` the branch's memory of `from` as one succeeded sync (blobs included): the baseline,
 * which is too slow to make a first sync of a large repository, starts its pushes from the same memory.
 */
export async function copyMemory(
  db: Db,
  options: { from: string; to: string; branch: string },
): Promise<void> {
  const { from, to, branch } = options;
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`UPDATE "ProjectSync" SET status = 'cancelled' WHERE "repositoryId" = ${to}::uuid AND status IN ('queued', 'running')`;
      await tx.$executeRaw`DELETE FROM "MemoryEntry" WHERE "repositoryId" = ${to}::uuid`;
      await tx.$executeRaw`
      INSERT INTO "RepositoryFile" ("repositoryId", sha, kind, size, "isBinary", content, omitted)
      SELECT ${to}::uuid, sha, kind, size, "isBinary", content, omitted FROM "RepositoryFile" WHERE "repositoryId" = ${from}::uuid
      ON CONFLICT DO NOTHING`;
      const last = await tx.projectSync.findFirst({
        where: { repositoryId: to, branch, status: "succeeded" },
        orderBy: { generation: "desc" },
      });
      const generation = (last?.generation ?? 0) + 1;
      const sync = await tx.projectSync.create({
        data: {
          repositoryId: to,
          branch,
          trigger: "manual",
          status: "succeeded",
          generation,
          previousSyncId: last?.id ?? null,
        },
      });
      await tx.$executeRaw`
      INSERT INTO "MemoryEntry" ("repositoryId", branch, path, mode, "blobSha", status, "syncId", "validFrom")
      SELECT ${to}::uuid, branch, path, mode, "blobSha", 'active', ${sync.id}::uuid, ${generation}
      FROM "MemoryEntry" WHERE "repositoryId" = ${from}::uuid AND branch = ${branch} AND status = 'active'`;
    },
    { timeout: 300_000 },
  );
}

/** Random changes of k files: mostly modifications, some additions, removals and renames. */
export function mix(k: number) {
  const add = Math.floor(k * 0.2);
  const remove = Math.floor(k * 0.1);
  const rename = Math.floor(k * 0.1);
  return { modify: k - add - remove - rename, add, remove, rename };
}
