import type { Db } from "../db/create-prisma-client.js";

/** What `/readyz` reports: each check's state, and whether all of them allow traffic. */
export type Readiness = {
  status: "ready" | "not_ready";
  checks: {
    database: "ok" | "unreachable";
    migrations: "ok" | "pending" | "unknown";
    worker: "running" | "stopped" | "web_only";
    inbox: "running" | "stopped" | "off";
  };
};

export type CreateReadinessOptions = {
  db: Db;
  /** the migrations this release ships (listMigrationNames) */
  migrations: readonly string[];
  /** the sync worker's state ("web_only": SYNC_CONCURRENCY=0, which is ready by design) */
  worker: () => Readiness["checks"]["worker"];
  /** the inbox processor's state ("off": no webhooks in this mode) */
  inbox: () => Readiness["checks"]["inbox"];
  /** a database that takes longer than this to answer is reported unreachable (default 2 s) */
  timeoutMs?: number;
};

/**
 * `/readyz`: ready when the database answers, every shipped migration is applied, and the process's worker and inbox
 * processor run (or are off by configuration). `/healthz` only says the process is alive; a load balancer sends
 * traffic by this one.
 */
export function createReadiness(options: CreateReadinessOptions): () => Promise<Readiness> {
  return async () => {
    let database: Readiness["checks"]["database"] = "ok";
    let migrations: Readiness["checks"]["migrations"] = "unknown";
    try {
      const applied = await withTimeout(
        options.db.$queryRaw<{ name: string }[]>`
          SELECT migration_name AS name FROM "_prisma_migrations"
          WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        options.timeoutMs ?? 2_000,
      );
      const names = new Set(applied.map((row) => row.name));
      migrations = options.migrations.every((name) => names.has(name)) ? "ok" : "pending";
    } catch {
      database = "unreachable";
    }
    const checks = { database, migrations, worker: options.worker(), inbox: options.inbox() };
    const ready =
      database === "ok" && migrations === "ok" && checks.worker !== "stopped" && checks.inbox !== "stopped";
    return { status: ready ? "ready" : "not_ready", checks };
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
