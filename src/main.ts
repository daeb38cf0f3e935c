import { existsSync } from "node:fs";
import { startApp } from "./app/start-app.js";
import { waitForShutdownSignal } from "./app/wait-for-shutdown-signal.js";
import { loadEnv } from "./config/env.js";
import { isAppError } from "./errors.js";
import { createStderrLogger } from "./logger.js";

// In-flight requests and running syncs get this long after SIGINT/SIGTERM; then the process exits anyway.
const SHUTDOWN_GRACE_MS = 10_000;

/** Boots the app (see src/app/start-app.ts) and stops it on a signal. */
async function main(): Promise<void> {
  // A .env in the working directory (see .env.example) fills in what the real environment leaves unset.
  if (existsSync(".env")) {
    if (typeof process.loadEnvFile === "function") process.loadEnvFile(".env");
    else process.stderr.write("warn .env is ignored: reading it needs Node.js 20.12 or newer\n");
  }
  const env = loadEnv();
  const log = createStderrLogger({ debug: env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace" });
  const shutdownSignal = waitForShutdownSignal(log, SHUTDOWN_GRACE_MS);
  const app = await startApp({ env, log });
  await shutdownSignal;
  await app.stop();
  log.info("Stopped");
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
