import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { PRESENCE_LOCK_NAMESPACE } from "../db/create-process-presence.js";

/** A delivery a dispatcher took, with what sending it needs. */
export type ClaimedOutboxDelivery = z.infer<typeof rowSchema>;

const rowSchema = z.object({
  id: z.string(),
  attempts: z.number().int(),
  eventId: z.string(),
  type: z.string(),
  syncId: z.string(),
  eventCreatedAt: z.date(),
  payload: z.string().nullable(),
  endpointId: z.string(),
  url: z.string(),
  secret: z.string(),
});

export type ClaimOutboxDeliveriesOptions = {
  now: Date;
  /** how long the claim holds if this process hangs (longer than a request's timeout) */
  leaseMs: number;
  limit: number;
  /** this process's presence key: a killed process's claims are taken over at once */
  presenceKey?: number | null;
};

/**
 * Takes up to `limit` deliveries that are due, oldest first, for enabled endpoints: pending ones whose time has come,
 * and ones another dispatcher took and never finished — at once when its process no longer holds its presence lock
 * (killed), else when its lease ran out (hung). Rows another dispatcher is taking right now are skipped (`SKIP
 * LOCKED`), so any number of processes share the work. Each claim counts as an attempt.
 */
export async function claimOutboxDeliveries(
  db: Db,
  options: ClaimOutboxDeliveriesOptions,
): Promise<ClaimedOutboxDelivery[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const rows = await db.$queryRaw<unknown[]>`
    WITH picked AS (
      SELECT d.id FROM "OutboxDelivery" d
      JOIN "WebhookEndpoint" e ON e.id = d."endpointId" AND e."disabledAt" IS NULL
      WHERE (d.status = 'pending' AND (d."nextAttemptAt" IS NULL OR d."nextAttemptAt" <= ${options.now}::timestamptz))
         OR (d.status = 'sending' AND (d."nextAttemptAt" <= ${options.now}::timestamptz
             OR (d."claimedBy" IS NOT NULL
                 AND pg_try_advisory_xact_lock(${PRESENCE_LOCK_NAMESPACE}::int, d."claimedBy"))))
      ORDER BY d."createdAt", d.id
      LIMIT ${options.limit}
      FOR UPDATE OF d SKIP LOCKED
    ), claimed AS (
      UPDATE "OutboxDelivery" AS d
      SET status = 'sending', attempts = d.attempts + 1, "nextAttemptAt" = ${leaseUntil}::timestamptz,
        "claimedBy" = ${options.presenceKey ?? null}::int
      FROM picked WHERE d.id = picked.id
      RETURNING d.id, d.attempts, d."eventId", d."endpointId", d."createdAt"
    )
    SELECT c.id::text AS id, c.attempts, c."eventId"::text AS "eventId", ev.type, ev."syncId"::text AS "syncId",
      ev."createdAt" AS "eventCreatedAt", ev.payload, c."endpointId"::text AS "endpointId", e.url, e.secret
    FROM claimed c
    JOIN "OutboxEvent" ev ON ev.id = c."eventId"
    JOIN "WebhookEndpoint" e ON e.id = c."endpointId"
    ORDER BY c."createdAt", c.id`;
  return rows.map((row) => rowSchema.parse(row));
}
