import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Probot } from "probot";
import { createApiRouter } from "../api/create-api-router.js";
import { createSyncReporter } from "../checks/create-sync-reporter.js";
import { createGitHubWriteBudget } from "../checks/github-write-budget.js";
import type { Env } from "../config/env.js";
import { listMigrationNames } from "../db/apply-migrations.js";
import { connectDatabase, type Database } from "../db/connect-database.js";
import { toAppError } from "../errors.js";
import { createSyncEventsHandler } from "../events/create-sync-events-handler.js";
import { createSyncEventHub } from "../events/sync-event-hub.js";
import { createClientFactory } from "../github/create-client-factory.js";
import { createHttpServer } from "../http/create-http-server.js";
import { createReadiness } from "../http/create-readiness.js";
import { listenHttpServer } from "../http/listen-http-server.js";
import { createInboxProcessor, type InboxProcessor } from "../inbox/create-inbox-processor.js";
import { createRedeliveryTrigger } from "../inbox/create-redelivery-trigger.js";
import { createWebhookIntake } from "../inbox/create-webhook-intake.js";
import { createInboxStore } from "../inbox/inbox-store.js";
import { pruneDeliveries } from "../inbox/prune-deliveries.js";
import { type AppRequestClient, redeliverFailedDeliveries } from "../inbox/redeliver-failed-deliveries.js";
import type { Logger } from "../logger.js";
import { type AppMetrics, createAppMetrics } from "../metrics/app-metrics.js";
import { createSyncMetrics } from "../metrics/create-sync-metrics.js";
import { readDatabaseReadings } from "../metrics/read-database-readings.js";
import { createProcessPresence, type ProcessPresence } from "../queue/create-process-presence.js";
import { createSyncWorker } from "../queue/create-sync-worker.js";
import type { SyncReporter } from "../queue/sync-reporter.js";
import type { SyncWorker } from "../queue/sync-worker.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { createWebRouter } from "../web/create-web-router.js";
import {
  type CreateGitHubAppMiddlewareOptions,
  createGitHubAppMiddleware,
  type GitHubAppMode,
} from "./create-github-app-middleware.js";
import { createTaskTracker, type TaskTracker } from "./create-task-tracker.js";
import { reconcileInstallations } from "./reconcile-installations.js";
import { startWebhookProxy } from "./start-webhook-proxy.js";
import { webhookEvents } from "./webhook-events.js";

// The reporter's durable backstop (check runs and reactions a crash or a GitHub error left behind), also at start-up.
const REPORTER_SWEEP_MS = 10_000;
// What was missed while the app did not hear from GitHub (installations, pushes) is caught up this often and at start-up.
const RECONCILE_MS = 60 * 60 * 1000;
// Processed deliveries past their retention are deleted this often.
const PRUNE_MS = 10 * 60 * 1000;
// Running syncs get this long to stop at shutdown before they are re-queued for another process.
const WORKER_GRACE_MS = 5_000;

export type StartAppOptions = {
  env: Env;
  log: Logger;
  /** tests: where the setup flow writes credentials */
  setup?: CreateGitHubAppMiddlewareOptions["setup"];
  /** tests: the reporter's timings (a queued sync's check-run delay, progress throttling) */
  reporter?: { queuedCheckDelayMs?: number; progressDelayMs?: number };
};

export type RunningApp = {
  mode: GitHubAppMode;
  /** where the server listens, e.g. http://localhost:3000 */
  url: string;
  /** the ordered shutdown: HTTP and events, inbox, worker (running syncs re-queued), background tasks, reports, database */
  stop: () => Promise<void>;
};

/** Everything that runs in the background, started once the server listens and stopped in order. */
type Core = {
  service: ServiceDeps;
  metrics: AppMetrics;
  reporter: SyncReporter;
  worker: SyncWorker;
  presence: ProcessPresence;
  tasks: TaskTracker;
  webOnly: boolean;
  stop: (() => Promise<void>)[];
};

/**
 * The composition root: env → database → service deps → metrics → reporter → worker → sync event hub → GitHub App
 * (Probot and the webhook inbox, or the setup flow) → HTTP server (webhooks, readiness, metrics, REST API, SSE, page)
 * → listening, worker and inbox started (unless SYNC_CONCURRENCY=0: a web-only process runs no syncs), sweeps,
 * reconcile and redelivery scheduled.
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
  const stops: (() => Promise<void>)[] = [];
  try {
    // Fail at start-up rather than on the first webhook if the database cannot be queried (this also loads Prisma's
    // query compiler before any background work needs it).
    await database.db.$queryRaw`SELECT 1`;
    const core = await startCore(options, database);
    stops.push(...core.stop);
    const events = createSyncEventHub({ databaseUrl: database.url, log });
    await events.start();
    stops.push(() => events.stop());
    const deps = {
      service: core.service,
      reporter: core.reporter,
      worker: core.webOnly ? { wake() {} } : core.worker,
    };
    const github = await createGitHubAppMiddleware({
      env,
      log,
      deps: { ...deps, tasks: core.tasks },
      setup: options.setup,
    });
    const inbox = github.probot ? startInbox({ env, log, database, core, probot: github.probot }) : null;
    const version = readVersion();
    const migrations = await listMigrationNames();
    const http = await listenHttpServer(
      createHttpServer({
        db: database.db,
        log,
        version,
        middleware: [...(inbox ? [inbox.intake] : []), ...github.middleware],
        api: createApiRouter({
          ...deps,
          events: createSyncEventsHandler({ db: database.db, hub: events, log }),
          version,
        }),
        web: createWebRouter({ apiBase: "/api/v1" }),
        apiToken: env.API_TOKEN,
        metrics: core.metrics.registry,
        readiness: createReadiness({
          db: database.db,
          migrations,
          worker: () => (core.webOnly ? "web_only" : core.worker.isRunning() ? "running" : "stopped"),
          inbox: () => (!inbox ? "off" : inbox.processor.isRunning() ? "running" : "stopped"),
        }),
      }),
      { port: env.PORT, host: env.HOST },
    );
    const runs = core.webOnly ? "web only, no syncs" : `${env.SYNC_CONCURRENCY} sync(s) at once`;
    log.info(`Project Sync ${version} listening on ${http.url} (${github.mode}, ${runs})`);
    if (!env.API_TOKEN) log.info("API_TOKEN is unset: the API and the page answer loopback clients only.");

    if (!core.webOnly) core.worker.start();
    inbox?.start();
    const sweepReports = () => core.tasks.run("Reporter sweep", () => core.reporter.sweep());
    sweepReports();
    const timers = [setInterval(sweepReports, REPORTER_SWEEP_MS)];
    if (github.probot) timers.push(scheduleReconcile(env, core, github.probot));
    for (const timer of timers) timer.unref();
    const stopProxy = await startProxy(env, github.mode, http.url, log);

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
        await inbox?.stop();
        await core.worker.stop({ graceMs: WORKER_GRACE_MS });
        await core.tasks.drain();
        core.reporter.stop?.();
        await core.reporter.idle();
        for (const stop of stops.reverse()) await stop();
        await database.close();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await database.close();
    throw error;
  }
}

/** Services, metrics, the check-run reporter (with GitHub's write budget) and the worker (with its presence lock). */
async function startCore(options: StartAppOptions, database: Database): Promise<Core> {
  const { env, log } = options;
  const { db } = database;
  const now = () => new Date();
  // The app's own installation tokens when it is configured (check runs need them; a personal GITHUB_TOKEN cannot
  // create check runs), GITHUB_TOKEN otherwise.
  const appConfigured = Boolean(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH));
  const metrics = createAppMetrics({ readDatabase: () => readDatabaseReadings(db) });
  const githubFor = createClientFactory(appConfigured ? { ...env, GITHUB_TOKEN: undefined } : env, {
    log,
    observe: metrics,
  });
  const service: ServiceDeps = { db, githubFor, now, log, maxFileSizeBytes: env.MAX_FILE_SIZE_BYTES };
  const reporter = createSyncReporter({
    db,
    githubFor,
    log,
    now,
    publicUrl: env.PUBLIC_URL,
    metrics,
    budget: createGitHubWriteBudget({
      db,
      now,
      perMinute: env.GITHUB_WRITES_PER_MINUTE,
      perHour: env.GITHUB_WRITES_PER_HOUR,
    }),
    ...options.reporter,
  });
  const webOnly = env.SYNC_CONCURRENCY === 0;
  const stop: (() => Promise<void>)[] = [];
  // The process holds a presence lock while it lives: any other process knows at once when it was killed, and takes
  // over the syncs and deliveries it had taken.
  const presence = createProcessPresence({ databaseUrl: database.url, log });
  await presence.start();
  stop.push(() => presence.stop());
  const syncMetrics = createSyncMetrics({ db, metrics, log });
  const worker = createSyncWorker({
    deps: service,
    concurrency: env.SYNC_CONCURRENCY,
    presence,
    hooks: {
      onEvent: (id, event) => {
        syncMetrics.onEvent(id, event);
        reporter.event(id, event);
      },
      onSettled: (id) => {
        syncMetrics.onSettled(id);
        reporter.settled(id);
      },
    },
  });
  return { service, metrics, reporter, worker, presence, tasks: createTaskTracker(log), webOnly, stop };
}

type Inbox = {
  intake: ReturnType<typeof createWebhookIntake>;
  processor: InboxProcessor;
  start: () => void;
  stop: () => Promise<void>;
};

/**
 * Webhooks through the inbox: the intake stores each signed delivery and answers; the processor runs stored ones
 * through Probot's handlers (in any process sharing the database); failed deliveries GitHub could not bring are asked
 * again; processed ones are pruned after their retention.
 */
function startInbox(options: {
  env: Env;
  log: Logger;
  database: Database;
  core: Core;
  probot: Probot;
}): Inbox {
  const { env, log, database, core, probot } = options;
  const { db } = database;
  const store = createInboxStore({
    databaseUrl: database.url,
    onIdleError: (error) => log.warn(`An idle inbox connection failed: ${error.message}`),
  });
  // one holder per process: a lease its failed release left behind (the database went away) is its own to take again
  const redeliveryHolder = randomUUID();
  const redelivery = createRedeliveryTrigger({
    log,
    scan: async ({ notBefore }) =>
      redeliverFailedDeliveries({
        notBefore,
        db,
        client: (await probot.auth()) as unknown as AppRequestClient,
        log,
        now: () => new Date(),
        holder: redeliveryHolder,
        metrics: core.metrics,
      }),
  });
  const processor = createInboxProcessor({
    db,
    log,
    metrics: core.metrics,
    presence: core.presence,
    handle: (delivery) => probot.receive(delivery as Parameters<Probot["receive"]>[0]),
    onDatabase: (reachable) => redelivery.onDatabase(reachable),
  });
  const intake = createWebhookIntake({
    path: env.WEBHOOK_PATH,
    secret: env.WEBHOOK_SECRET ?? "",
    store,
    events: webhookEvents,
    log,
    metrics: core.metrics,
    onStored: () => processor.wake(),
    onDatabase: (reachable) => redelivery.onDatabase(reachable),
  });
  const retentionMs = env.WEBHOOK_RETENTION_DAYS * 24 * 60 * 60 * 1000;
  const prune = () =>
    core.tasks.run("Prune processed deliveries", async () => {
      const pruned = await pruneDeliveries(db, { now: new Date(), retentionMs });
      if (pruned > 0) log.info(`Pruned ${pruned} processed webhook deliveries`);
    });
  let timer: NodeJS.Timeout | undefined;
  return {
    intake,
    processor,
    start() {
      processor.start();
      redelivery.start();
      prune();
      timer = setInterval(prune, PRUNE_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await redelivery.stop();
      await processor.stop();
      await store.close();
    },
  };
}

/** Reconcile at start-up and every hour (one run at a time in this process). */
function scheduleReconcile(env: Env, core: Core, probot: Probot): NodeJS.Timeout {
  let reconciling = false;
  const deps = {
    service: core.service,
    reporter: core.reporter,
    worker: core.webOnly ? { wake() {} } : core.worker,
  };
  const reconcile = () => {
    if (reconciling) return;
    reconciling = true;
    core.tasks.run("Reconcile installations", async () => {
      try {
        const result = await reconcileInstallations(
          { ...deps, tasks: core.tasks, appId: Number(env.APP_ID) },
          { appClient: () => probot.auth(), installationClient: (id) => probot.auth(id) },
        );
        core.service.log.info(
          `Reconciled ${result.installations} installation(s): ${result.repositories} repositories, ${result.queued} first sync(s) queued, ${result.caughtUp} missed push(es) caught up, ${result.deactivated} deactivated`,
        );
      } finally {
        reconciling = false;
      }
    });
  };
  reconcile();
  return setInterval(reconcile, RECONCILE_MS);
}

async function startProxy(
  env: Env,
  mode: GitHubAppMode,
  url: string,
  log: Logger,
): Promise<() => Promise<void>> {
  if (!env.WEBHOOK_PROXY_URL || mode !== "app") return async () => {};
  return startWebhookProxy({
    source: env.WEBHOOK_PROXY_URL,
    target: `http://127.0.0.1:${new URL(url).port}${env.WEBHOOK_PATH}`,
    log,
  }).catch((error: unknown) => {
    log.warn(`The webhook proxy did not start: ${toAppError(error).message}`);
    return async () => {};
  });
}

function readVersion(): string {
  // ../../package.json from both src/app (tsx) and dist/app (node)
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}
