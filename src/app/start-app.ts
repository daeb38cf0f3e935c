import { readFileSync } from "node:fs";
import { createApiRouter } from "../api/create-api-router.js";
import { createSyncReporter } from "../checks/create-sync-reporter.js";
import type { Env } from "../config/env.js";
import { connectDatabase } from "../db/connect-database.js";
import { toAppError } from "../errors.js";
import { createSyncEventsHandler } from "../events/create-sync-events-handler.js";
import { createSyncEventHub, type SyncEventHub } from "../events/sync-event-hub.js";
import { createClientFactory } from "../github/create-client-factory.js";
import { createHttpServer } from "../http/create-http-server.js";
import { listenHttpServer } from "../http/listen-http-server.js";
import type { Logger } from "../logger.js";
import { createSyncWorker } from "../queue/create-sync-worker.js";
import { runOptionsFor } from "../repo-config/run-options-for.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { createWebRouter } from "../web/create-web-router.js";
import {
  type CreateGitHubAppMiddlewareOptions,
  createGitHubAppMiddleware,
  type GitHubAppMode,
} from "./create-github-app-middleware.js";
import { createTaskTracker } from "./create-task-tracker.js";
import { reconcileInstallations } from "./reconcile-installations.js";
import { startWebhookProxy } from "./start-webhook-proxy.js";

// The reporter's durable backstop (check runs and reactions a crash or a GitHub error left behind).
const REPORTER_SWEEP_MS = 30_000;
// What was missed while the app did not hear from GitHub (installations, pushes) is caught up this often and at start-up.
const RECONCILE_MS = 60 * 60 * 1000;
// Running syncs get this long to stop at shutdown before they are re-queued for another process.
const WORKER_GRACE_MS = 5_000;

export type StartAppOptions = {
  env: Env;
  log: Logger;
  /** tests: where the setup flow writes credentials */
  setup?: CreateGitHubAppMiddlewareOptions["setup"];
};

export type RunningApp = {
  mode: GitHubAppMode;
  /** where the server listens, e.g. http://localhost:3000 */
  url: string;
  /** the ordered shutdown: HTTP and events, worker (running syncs re-queued), background tasks, reports, database */
  stop: () => Promise<void>;
};

/**
 * The composition root: env → database → service deps → reporter → worker → sync event hub → GitHub App (Probot, or
 * its setup flow) → HTTP server (webhooks, REST API, SSE, page) → listening, worker started (unless
 * SYNC_CONCURRENCY=0: a web-only process), sweeps and reconcile scheduled.
 * @example const app = await startApp({ env: loadEnv(), log }); await signal; await app.stop();
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { env, log } = options;
  const database = await connectDatabase({
    databaseUrl: env.DATABASE_URL,
    embeddedDir: env.EMBEDDED_POSTGRES_DIR,
    embeddedPort: env.EMBEDDED_POSTGRES_PORT,
    log,
  });
  let hub: SyncEventHub | null = null;
  try {
    // Fail at start-up rather than on the first webhook if the database cannot be queried (this also loads Prisma's
    // query compiler before any background work needs it).
    await database.db.$queryRaw`SELECT 1`;
    const now = () => new Date();
    // The app's own installation tokens when it is configured (check runs need them; a personal GITHUB_TOKEN cannot
    // create check runs), GITHUB_TOKEN otherwise.
    const appConfigured = Boolean(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH));
    const githubFor = createClientFactory(appConfigured ? { ...env, GITHUB_TOKEN: undefined } : env, { log });
    const service: ServiceDeps = {
      db: database.db,
      githubFor,
      now,
      log,
      maxFileSizeBytes: env.MAX_FILE_SIZE_BYTES,
    };
    const reporter = createSyncReporter({ db: database.db, githubFor, log, now, publicUrl: env.PUBLIC_URL });
    const worker = createSyncWorker({
      deps: service,
      concurrency: env.SYNC_CONCURRENCY,
      runOptionsFor,
      hooks: { onEvent: (id, event) => reporter.event(id, event), onSettled: (id) => reporter.settled(id) },
    });
    const tasks = createTaskTracker(log);
    // A web-only process (SYNC_CONCURRENCY=0) queues syncs for the others and never claims one, not even when woken.
    const webOnly = env.SYNC_CONCURRENCY === 0;
    const queue = webOnly ? { wake: () => {} } : worker;
    const deps = { service, reporter, worker: queue, tasks };
    // SSE clients of this process hear about syncs run by any process sharing the database.
    const events = createSyncEventHub({ databaseUrl: database.url, log });
    hub = events;
    await events.start();
    const github = await createGitHubAppMiddleware({ env, log, deps, setup: options.setup });
    const version = readVersion();
    const api = createApiRouter({
      service,
      reporter,
      worker: queue,
      events: createSyncEventsHandler({ db: database.db, hub: events, log }),
      version,
    });
    const http = await listenHttpServer(
      createHttpServer({
        db: database.db,
        log,
        version,
        middleware: github.middleware,
        api,
        web: createWebRouter({ apiBase: "/api/v1" }),
        apiToken: env.API_TOKEN,
      }),
      { port: env.PORT, host: env.HOST },
    );
    const runs = webOnly ? "web only, no syncs" : `${env.SYNC_CONCURRENCY} sync(s) at once`;
    log.info(`Project Sync ${version} listening on ${http.url} (${github.mode}, ${runs})`);
    if (!env.API_TOKEN) log.info("API_TOKEN is unset: the API and the page answer loopback clients only.");

    if (!webOnly) worker.start();
    const timers = [
      setInterval(() => tasks.run("Reporter sweep", () => reporter.sweep()), REPORTER_SWEEP_MS),
    ];
    const probot = github.probot;
    if (probot) {
      let reconciling = false;
      const reconcile = () => {
        if (reconciling) return;
        reconciling = true;
        tasks.run("Reconcile installations", async () => {
          try {
            const result = await reconcileInstallations(
              { ...deps, appId: Number(env.APP_ID) },
              { appClient: () => probot.auth(), installationClient: (id) => probot.auth(id) },
            );
            log.info(
              `Reconciled ${result.installations} installation(s): ${result.repositories} repositories, ${result.queued} first sync(s) queued, ${result.caughtUp} missed push(es) caught up, ${result.deactivated} deactivated`,
            );
          } finally {
            reconciling = false;
          }
        });
      };
      reconcile();
      timers.push(setInterval(reconcile, RECONCILE_MS));
    }
    for (const timer of timers) timer.unref();
    const stopProxy =
      env.WEBHOOK_PROXY_URL && github.mode === "app"
        ? await startWebhookProxy({
            source: env.WEBHOOK_PROXY_URL,
            target: `http://127.0.0.1:${new URL(http.url).port}${env.WEBHOOK_PATH}`,
            log,
          }).catch((error: unknown) => {
            log.warn(`The webhook proxy did not start: ${toAppError(error).message}`);
            return async () => {};
          })
        : async () => {};

    return {
      mode: github.mode,
      url: http.url,
      stop: async () => {
        for (const timer of timers) clearInterval(timer);
        await stopProxy();
        // Closing ends the event streams that are open; stopping the hub with it ends those still reading their
        // sync (they end as soon as they open), which would otherwise hold the close for its whole grace period,
        // and the worker's running syncs with it.
        const closing = http.close();
        await events.stop();
        await closing;
        await worker.stop({ graceMs: WORKER_GRACE_MS });
        await tasks.drain();
        await reporter.idle();
        await database.close();
      },
    };
  } catch (error) {
    await hub?.stop();
    await database.close();
    throw error;
  }
}

function readVersion(): string {
  // ../../package.json from both src/app (tsx) and dist/app (node)
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}
