// The baseline of `npm run bench:load`: the previous design, in which Probot's own middleware verifies a delivery
// and runs the project's handlers (validate → upsert the repository → record the sync) before it answers GitHub.
// Run as a child process: env DATABASE_URL (a fresh database: migrations are applied here), PORT, HOST, APP_ID,
// PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL. Nothing runs the syncs it records (the worker's wake does
// nothing) and it writes no check runs (the reporter does nothing): only acknowledgement is compared.
import type { Server } from "node:http";
import express, { type RequestHandler } from "express";
import { createNodeMiddleware, Probot } from "probot";
import { createProjectSyncApp } from "../../src/app/create-project-sync-app.js";
import { applyMigrations } from "../../src/db/apply-migrations.js";
import { createPrismaClient } from "../../src/db/create-prisma-client.js";
import { githubApiBaseUrl } from "../../src/github/github-api-base-url.js";
import { createTaskTracker } from "../../src/handlers/create-task-tracker.js";
import { createStderrLogger } from "../../src/logger.js";

const WEBHOOKS_PATH = "/api/github/webhooks";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const databaseUrl = required("DATABASE_URL");
const log = createStderrLogger();
await applyMigrations(databaseUrl);
const db = createPrismaClient(databaseUrl);
const tasks = createTaskTracker(log);
const probot = new Probot({
  appId: Number(required("APP_ID")),
  privateKey: required("PRIVATE_KEY"),
  secret: required("WEBHOOK_SECRET"),
  logLevel: "warn",
  ...(process.env.GHE_HOST ? { baseUrl: githubApiBaseUrl(process.env) } : {}),
});
const appFn = createProjectSyncApp({
  appId: Number(required("APP_ID")),
  service: {
    db,
    githubFor: async () => null,
    now: () => new Date(),
    log,
    maxFileSizeBytes: 1024 * 1024,
  },
  reporter: { enqueued() {}, settled() {} },
  worker: { wake() {} },
  tasks,
});

const app = express();
app.disable("x-powered-by");
app.get("/readyz", (_req, res) => {
  res.status(200).json({ status: "ready" });
});
// Mounted before any body parser, as the previous design did: the middleware reads the raw body for the signature.
app.use((await createNodeMiddleware(appFn, { probot, webhooksPath: WEBHOOKS_PATH })) as RequestHandler);
app.use((_req, res) => {
  res.status(404).json({ error: { code: "NOT_FOUND", message: "Not found" } });
});

const port = Number(process.env.PORT ?? "0");
const host = process.env.HOST ?? "127.0.0.1";
const server: Server = await new Promise((resolve, reject) => {
  const listening = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
});
const address = server.address();
log.info(
  `Baseline (Probot middleware) listening on http://${host}:${typeof address === "object" && address ? address.port : port}`,
);

const stop = async () => {
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await tasks.drain();
  await db.$disconnect();
  process.exit(0);
};
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void stop());
