import { existsSync, readFileSync } from "node:fs";
import { type Env, loadEnv } from "./config/env.js";
import { connectDatabase } from "./db/connect-database.js";
import { isAppError } from "./errors.js";
import { createHttpServer } from "./http/create-http-server.js";
import { type ListeningHttpServer, listenHttpServer } from "./http/listen-http-server.js";
import { createStderrLogger, type Logger } from "./logger.js";

// In-flight requests get this long after SIGINT/SIGTERM; then the process exits anyway.
const SHUTDOWN_GRACE_MS = 10_000;

/** Boots the app: env → database (embedded PostgreSQL when DATABASE_URL is unset) → HTTP server; stops on a signal. */
async function main(): Promise<void> {
  // A .env in the working directory (see .env.example) fills in what the real environment leaves unset.
  if (existsSync(".env")) {
    if (typeof process.loadEnvFile === "function") process.loadEnvFile(".env");
    else process.stderr.write("warn .env is ignored: reading it needs Node.js 20.12 or newer\n");
  }
  const env = loadEnv();
  const log = createStderrLogger({ debug: env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace" });
  const shutdownSignal = waitForShutdownSignal(log);
  warnAboutMissingCredentials(env, log);

  const database = await connectDatabase({
    databaseUrl: env.DATABASE_URL,
    embeddedDir: env.EMBEDDED_POSTGRES_DIR,
    embeddedPort: env.EMBEDDED_POSTGRES_PORT,
    log,
  });
  const version = readVersion();
  let http: ListeningHttpServer;
  try {
    http = await listenHttpServer(createHttpServer({ db: database.db, log, version }), {
      port: env.PORT,
      host: env.HOST,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  log.info(`Project Sync ${version} listening on ${http.url}`);

  await shutdownSignal;
  await http.close();
  await database.close();
  log.info("Stopped");
}

/**
 * Resolves on the first SIGINT/SIGTERM and gives the shutdown SHUTDOWN_GRACE_MS before exiting anyway (also when the
 * signal comes during start-up). Later signals are ignored: wrappers such as `timeout` or tsx deliver one twice.
 * embedded-postgres registers its own handlers (async-exit-hook) that stop PostgreSQL and exit on the same signals,
 * racing the ordered shutdown, so they are removed; its "exit" hook stays and stops PostgreSQL on any process.exit.
 * `process.listeners` (not removeAllListeners) because tsx hides its relay handler from it, and that one must stay or
 * tsx SIGKILLs this process 30 ms after relaying a signal.
 */
function waitForShutdownSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) return;
      received = true;
      log.info(`${signal} received: shutting down`);
      setTimeout(() => {
        log.error(`Shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000} s: exiting anyway`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      resolve(signal);
    };
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
      process.on(signal, onSignal);
    }
  });
}

function warnAboutMissingCredentials(env: Env, log: Logger): void {
  const missing = [
    env.APP_ID ? undefined : "APP_ID",
    env.PRIVATE_KEY || env.PRIVATE_KEY_PATH ? undefined : "PRIVATE_KEY (or PRIVATE_KEY_PATH)",
    env.WEBHOOK_SECRET ? undefined : "WEBHOOK_SECRET",
  ].filter((name) => name !== undefined);
  if (missing.length === 0) return;
  log.warn(
    `GitHub App credentials missing: ${missing.join(", ")}. Webhooks are not handled until the GitHub App is ` +
      "configured; see README.",
  );
}

function readVersion(): string {
  // ../package.json from both src/main.ts (tsx) and dist/main.js (node)
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `error ${isAppError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
