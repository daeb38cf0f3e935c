import pg from "pg";
import { UTC_SESSION } from "../db/create-prisma-client.js";

/** One delivery as the intake stores it. */
export type IncomingDelivery = {
  /** X-GitHub-Delivery */
  id: string;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryGithubId: number | null;
  /** the raw body, exactly as signed */
  payload: string;
  receivedAt: Date;
};

/**
 * `stored`: new, to be processed; `requeued`: GitHub sent a delivery again that had been parked (someone pressed
 * Redeliver): it is processed again; `duplicate`: known already, nothing written.
 */
export type StoreOutcome = "stored" | "requeued" | "duplicate";

export type InboxStore = {
  insert(delivery: IncomingDelivery): Promise<StoreOutcome>;
  close(): Promise<void>;
};

export type CreateInboxStoreOptions = {
  databaseUrl: string;
  /** connections of the intake's own pool (default 16) */
  poolSize?: number;
  /** a connection that cannot be had this fast means the database is away: the delivery is answered 503 */
  connectTimeoutMs?: number;
  /** errors of idle connections (the database restarted); the pool replaces them */
  onIdleError?: (error: Error) => void;
};

// One statement, one round trip: a known id is left as it is, unless it was parked (then it is tried again).
const INSERT = `
  INSERT INTO "WebhookDelivery"
    (id, event, action, "installationId", "repositoryGithubId", payload, status, attempts, "receivedAt", "runAfter")
  VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)
  ON CONFLICT (id) DO UPDATE SET status = 'pending', attempts = 0, "runAfter" = EXCLUDED."receivedAt",
    "errorCode" = NULL, error = NULL
  WHERE "WebhookDelivery".status = 'parked'
  RETURNING (xmax = 0) AS inserted`;

/**
 * The inbox's write side, on a small connection pool of its own: acknowledging GitHub never waits behind the pool
 * that syncs keep busy, and a database that is away fails fast instead of queueing deliveries in memory.
 * @example const store = createInboxStore({ databaseUrl }); await store.insert({ id, event, ... });
 */
export function createInboxStore(options: CreateInboxStoreOptions): InboxStore {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 16,
    // Waiting for a connection includes waiting for a free one under load: give it most of GitHub's 10 s.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 7_000,
    idleTimeoutMillis: 30_000,
    application_name: "project-sync-intake",
    options: UTC_SESSION,
    // an insert that hangs (a locked row, a stalled disk) must not outlive GitHub's 10 s
    statement_timeout: 5_000,
    keepAlive: true,
  });
  pool.on("error", (error) => options.onIdleError?.(error));
  return {
    async insert(delivery) {
      const { rows } = await pool.query<{ inserted: boolean }>(INSERT, [
        delivery.id,
        delivery.event,
        delivery.action,
        delivery.installationId,
        delivery.repositoryGithubId,
        delivery.payload,
        delivery.receivedAt,
      ]);
      const row = rows[0];
      if (!row) return "duplicate";
      return row.inserted ? "stored" : "requeued";
    },
    close: () => pool.end(),
  };
}
