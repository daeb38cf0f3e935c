import type { Env } from "../config/env.js";
import { connectDatabase } from "../db/connect-database.js";
import { AppError, isAppError, toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { CliDepsOverrides } from "./cli-io.js";

export type OpenServiceDepsOptions = {
  env: Env;
  log: Logger;
  githubFor: ServiceDeps["githubFor"];
  overrides?: CliDepsOverrides;
};

/** The services' deps over a connected database (DATABASE_URL's, or the embedded one); close() when done. */
export async function openServiceDeps(
  options: OpenServiceDepsOptions,
): Promise<{ deps: ServiceDeps; databaseUrl: string | null; close: () => Promise<void> }> {
  const { env, log, overrides } = options;
  const connect =
    overrides?.connect ??
    (() =>
      connectDatabase({
        databaseUrl: env.DATABASE_URL,
        embeddedDir: env.EMBEDDED_POSTGRES_DIR,
        embeddedPort: env.EMBEDDED_POSTGRES_PORT,
        log,
      }));
  const database = await connect().catch((error: unknown) => {
    throw overrides?.connect || env.DATABASE_URL ? error : embeddedStartError(env, error);
  });
  return {
    // tests' own connections have no URL: then nothing LISTENs (the MCP server's subscriptions go unnotified)
    databaseUrl: "url" in database && typeof database.url === "string" ? database.url : null,
    deps: {
      db: database.db,
      githubFor: options.githubFor,
      now: overrides?.now ?? (() => new Date()),
      log,
      maxFileSizeBytes: env.MAX_FILE_SIZE_BYTES,
    },
    // A failing close must not hide the command's own result.
    close: () =>
      database
        .close()
        .catch((error: unknown) => log.warn(`closing the database failed: ${toAppError(error).message}`)),
  };
}

// embedded-postgres rejects without a reason when its server cannot start, typically because another process (the
// app's server, another CLI run) already runs PostgreSQL on the same data directory or port.
function embeddedStartError(env: Env, error: unknown): unknown {
  if (isAppError(error)) return error;
  const detail = error instanceof Error ? ` (${error.message})` : "";
  return new AppError(
    "DATABASE_UNAVAILABLE",
    `Could not start the embedded PostgreSQL in ${env.EMBEDDED_POSTGRES_DIR} on port ${env.EMBEDDED_POSTGRES_PORT}${detail}. ` +
      "If Project Sync's server (or another project-sync command) is running, it holds that database: set " +
      `DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/postgres to use it, ` +
      "or EMBEDDED_POSTGRES_DIR and EMBEDDED_POSTGRES_PORT to start another one.",
    { cause: error },
  );
}
