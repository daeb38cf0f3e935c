import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { PRESENCE_LOCK_NAMESPACE } from "../db/create-process-presence.js";

/** A delivery a processor took: its lease runs until `runAfter` (then any processor may take it again). */
export type ClaimedDelivery = {
  id: string;
  event: string;
  payload: string | null;
  attempts: number;
  receivedAt: Date;
  installationId: bigint | null;
  repositoryGithubId: bigint | null;
};

const rowSchema = z.object({
  id: z.string(),
  event: z.string(),
  payload: z.string().nullable(),
  attempts: z.number().int(),
  receivedAt: z.date(),
  installationId: z.bigint().nullable(),
  repositoryGithubId: z.bigint().nullable(),
});

/**
 * Takes up to `limit` deliveries that are due, oldest first: pending ones whose backoff is over, and ones another
 * processor took and never finished — at once when that process no longer holds its presence lock (killed), else when
 * its lease ran out (hung). Rows another processor is taking right now are skipped, so processes sharing the database
 * never take the same delivery. Each claim counts as an attempt.
 */
export async function claimDeliveries(
  db: Db,
  options: { now: Date; leaseMs: number; limit: number; presenceKey?: number | null },
): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  // pg_try_advisory_xact_lock succeeds only on a presence key no session holds: its process is gone. The lock taken
  // lasts until this statement's transaction ends.
  const rows = await db.$queryRaw<unknown[]>`
    WITH picked AS (
      SELECT id FROM "WebhookDelivery"
      WHERE (status = 'pending' AND "runAfter" <= ${options.now}::timestamptz)
         OR (status = 'processing' AND ("runAfter" <= ${options.now}::timestamptz
             OR ("claimedBy" IS NOT NULL
                 AND pg_try_advisory_xact_lock(${PRESENCE_LOCK_NAMESPACE}::int, "claimedBy"))))
      ORDER BY "receivedAt", id
      LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "WebhookDelivery" AS d
    SET status = 'processing', attempts = d.attempts + 1, "runAfter" = ${leaseUntil}::timestamptz,
      "claimedBy" = ${options.presenceKey ?? null}::int
    FROM picked
    WHERE d.id = picked.id
    RETURNING d.id, d.event, d.payload, d.attempts, d."receivedAt", d."installationId", d."repositoryGithubId"`;
  return rows
    .map((row) => rowSchema.parse(row))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id));
}
