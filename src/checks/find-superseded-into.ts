import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";

const rowSchema = z.object({ id: z.string() });

/**
 * The syncs that were superseded into this one (or into an earlier attempt of it), transitively, and still wait for
 * something on GitHub: a comment reaction that depends on how this sync ends, or a check run not completed.
 */
export async function findSupersededInto(db: Db, syncId: string, limit = 200): Promise<string[]> {
  const rows = await db.$queryRaw<unknown[]>`
    WITH RECURSIVE attempts(id, retry_of) AS (
      SELECT id, "retryOfSyncId" FROM "ProjectSync" WHERE id = ${syncId}::uuid
      UNION
      SELECT p.id, p."retryOfSyncId" FROM "ProjectSync" p JOIN attempts a ON p.id = a.retry_of
    ), superseded(id) AS (
      SELECT p.id FROM "ProjectSync" p WHERE p."supersededById" IN (SELECT id FROM attempts)
      UNION
      SELECT p.id FROM "ProjectSync" p JOIN superseded s ON p."supersededById" = s.id
    )
    SELECT p.id::text AS id
    FROM superseded s JOIN "ProjectSync" p ON p.id = s.id
    WHERE (p."commentId" IS NOT NULL AND p."commentReactedAt" IS NULL)
       OR p."checkRunState" IN ('pending', 'creating', 'open')
    ORDER BY p."createdAt"
    LIMIT ${limit}`;
  return rows.map((row) => rowSchema.parse(row).id);
}
