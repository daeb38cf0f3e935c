import type { Db } from "./create-prisma-client.js";
import { PRESENCE_LOCK_NAMESPACE } from "./create-process-presence.js";

export type TakenLease<State> = {
  /** what the previous holder left (a cursor), or null the first time */
  state: State | null;
  /** stores `state` (null: keeps the previous one) and ends the lease, or keeps others out until `holdUntil` */
  release(state: State | null, holdUntil?: Date | null): Promise<void>;
};

/**
 * Takes the named lease for `leaseMs` when nobody holds it, or its holder is gone — at once when the holder named its
 * presence key and that key's advisory lock is free (the process was killed), else when its lease ran out (hung) —
 * so work that must happen once across every process sharing the database happens once. Null when another holds it.
 * The same holder takes it again: a process whose release failed (the database went away) is not locked out by itself
 * until the lease runs out, so a holder must not run the leased work twice at once.
 * @example const lease = await takeLease(db, { name: "redeliver", holder: processId, now, leaseMs: 300_000 });
 */
export async function takeLease<State>(
  db: Db,
  options: {
    name: string;
    holder: string;
    now: Date;
    leaseMs: number;
    /** the holder's process presence key (see createProcessPresence): its death frees the lease at once */
    presenceKey?: number | null;
  },
): Promise<TakenLease<State> | null> {
  const until = new Date(options.now.getTime() + options.leaseMs);
  // pg_try_advisory_xact_lock succeeds only on a presence key no session holds (its process is gone); the lock taken
  // lasts until this statement's transaction ends
  const rows = await db.$queryRaw<{ state: unknown }[]>`
    INSERT INTO "AppLease" (name, holder, "holderKey", "leaseUntil", "updatedAt")
    VALUES (${options.name}, ${options.holder}, ${options.presenceKey ?? null}::int, ${until}::timestamptz,
      ${options.now}::timestamptz)
    ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "holderKey" = EXCLUDED."holderKey",
      "leaseUntil" = EXCLUDED."leaseUntil", "updatedAt" = EXCLUDED."updatedAt"
    WHERE "AppLease"."leaseUntil" IS NULL OR "AppLease"."leaseUntil" <= ${options.now}::timestamptz
      OR "AppLease".holder = ${options.holder}
      OR ("AppLease"."holderKey" IS NOT NULL
          AND pg_try_advisory_xact_lock(${PRESENCE_LOCK_NAMESPACE}::int, "AppLease"."holderKey"))
    RETURNING state`;
  const row = rows[0];
  if (!row) return null;
  return {
    state: (row.state ?? null) as State | null,
    async release(state, holdUntil = null) {
      await db.appLease.updateMany({
        where: { name: options.name, holder: options.holder },
        data: {
          state: state === null ? undefined : (state as object),
          leaseUntil: holdUntil,
          updatedAt: options.now,
        },
      });
    },
  };
}
