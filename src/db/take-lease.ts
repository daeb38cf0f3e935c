import type { Db } from "./create-prisma-client.js";

export type TakenLease<State> = {
  /** what the previous holder left (a cursor), or null the first time */
  state: State | null;
  /** stores `state` (null: keeps the previous one) and ends the lease, or keeps others out until `holdUntil` */
  release(state: State | null, holdUntil?: Date | null): Promise<void>;
};

/**
 * Takes the named lease for `leaseMs` when nobody holds it (or its holder's lease ran out: the process died), so
 * work that must happen once across every process sharing the database happens once. Null when another holds it.
 * The same holder takes it again: a process whose release failed (the database went away) is not locked out by itself
 * until the lease runs out, so a holder must not run the leased work twice at once.
 * @example const lease = await takeLease(db, { name: "redeliver", holder: processId, now, leaseMs: 300_000 });
 */
export async function takeLease<State>(
  db: Db,
  options: { name: string; holder: string; now: Date; leaseMs: number },
): Promise<TakenLease<State> | null> {
  const until = new Date(options.now.getTime() + options.leaseMs);
  const rows = await db.$queryRaw<{ state: unknown }[]>`
    INSERT INTO "AppLease" (name, holder, "leaseUntil", "updatedAt")
    VALUES (${options.name}, ${options.holder}, ${until}::timestamptz, ${options.now}::timestamptz)
    ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "leaseUntil" = EXCLUDED."leaseUntil",
      "updatedAt" = EXCLUDED."updatedAt"
    WHERE "AppLease"."leaseUntil" IS NULL OR "AppLease"."leaseUntil" <= ${options.now}::timestamptz
      OR "AppLease".holder = ${options.holder}
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
