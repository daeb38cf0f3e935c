import type { Db } from "../db/create-prisma-client.js";
import { isUniqueViolation } from "../db/is-unique-violation.js";
import type { ClaimedSync } from "../sync/claim-sync.js";

// A unique violation means another process claimed a sync of the same branch at the same moment: look again.
const CLAIM_TRIES = 3;

/**
 * Takes the oldest queued sync that may run now (not inline, not waiting for `runAfter`, repository installed, its
 * branch not running) and moves it to running, in one transaction whose row lock other workers skip. The partial
 * unique index "ProjectSync_one_running_branch" is the real guard across processes. Returns null when nothing is
 * eligible. `workerKey` is the claiming process's presence key (see createProcessPresence).
 */
export async function claimNextSync(
  db: Db,
  now: () => Date,
  workerKey: number | null = null,
): Promise<ClaimedSync | null> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(async (tx) => {
        const at = now();
        const rows = await tx.$queryRaw<{ id: string }[]>`
          SELECT s.id FROM "ProjectSync" AS s
          JOIN "Repository" AS r ON r.id = s."repositoryId"
          WHERE s.status = 'queued' AND NOT s.inline AND r.active
            AND (s."runAfter" IS NULL OR s."runAfter" <= ${at})
            AND NOT EXISTS (
              SELECT 1 FROM "ProjectSync" AS x
              WHERE x."repositoryId" = s."repositoryId" AND x.branch = s.branch AND x.status = 'running'
            )
          ORDER BY s."createdAt", s.id
          LIMIT 1
          FOR UPDATE OF s SKIP LOCKED`;
        const id = rows[0]?.id;
        if (!id) return null;
        return tx.projectSync.update({
          where: { id },
          data: { status: "running", startedAt: at, heartbeatAt: at, phase: null, workerKey },
          include: { repository: true },
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (attempt >= CLAIM_TRIES) return null;
    }
  }
}
