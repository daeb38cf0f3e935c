import type { Db } from "../db/create-prisma-client.js";

export type MemoryChanges = {
  repositoryId: string;
  branch: string;
  syncId: string;
  /** the lineage generation the sync gets; superseded entries end there, new ones start there */
  generation: number;
  /** paths whose active entry ends (removed, or replaced by an entry in `insert`) */
  supersede: readonly string[];
  insert: readonly { path: string; mode: string; blobSha: string }[];
  now: Date;
};

type Tx = Pick<Db, "$executeRaw">;

const CHUNK = 5000;

/**
 * Applies a sync's changes to a branch's memory. Call it inside the transaction that marks the sync succeeded, so
 * readers see all of a sync or none of it. Old entries are superseded, never deleted: history and restore read them.
 */
export async function applyMemoryChanges(tx: Tx, changes: MemoryChanges): Promise<{ rowsWritten: number }> {
  let rowsWritten = 0;
  for (let start = 0; start < changes.supersede.length; start += CHUNK) {
    const paths = changes.supersede.slice(start, start + CHUNK);
    rowsWritten += await tx.$executeRaw`
      UPDATE "MemoryEntry"
      SET status = 'superseded', "validTo" = ${changes.generation}, "supersededBySyncId" = ${changes.syncId}::uuid,
          "supersededAt" = ${changes.now}
      WHERE "repositoryId" = ${changes.repositoryId}::uuid AND branch = ${changes.branch} AND status = 'active'
        AND path = ANY(${paths}::text[])`;
  }
  for (let start = 0; start < changes.insert.length; start += CHUNK) {
    const rows = changes.insert.slice(start, start + CHUNK);
    rowsWritten += await tx.$executeRaw`
      INSERT INTO "MemoryEntry" ("repositoryId", branch, path, mode, "blobSha", status, "syncId", "validFrom", "createdAt")
      SELECT ${changes.repositoryId}::uuid, ${changes.branch}, t.path, t.mode, t.sha, 'active', ${changes.syncId}::uuid,
             ${changes.generation}, ${changes.now}
      FROM unnest(${rows.map((row) => row.path)}::text[], ${rows.map((row) => row.mode)}::text[],
                  ${rows.map((row) => row.blobSha)}::text[]) AS t(path, mode, sha)`;
  }
  return { rowsWritten };
}
