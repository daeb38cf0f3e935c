// The real app (startApp) in a process of its own, for the two-process SSE test (test/events/two-processes.test.ts):
// configured entirely by its environment, it prints `ready <url>` once listening and stops in order on SIGTERM, as
// src/main.ts does. `node --import tsx test/events/app-process.ts`
import { startApp } from "../../src/app/start-app.js";
import { waitForShutdownSignal } from "../../src/app/wait-for-shutdown-signal.js";
import { loadEnv } from "../../src/config/env.js";
import { createStderrLogger, silentLogger } from "../../src/logger.js";

const log = process.env.APP_PROCESS_DEBUG ? createStderrLogger({ debug: true }) : silentLogger;
const signal = waitForShutdownSignal(log, 20_000);
const app = await startApp({ env: loadEnv(process.env), log });
process.stdout.write(`ready ${app.url}\n`);
await signal;
await app.stop();
process.exit(0);
