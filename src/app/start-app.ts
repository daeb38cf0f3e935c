import type { RequestHandler } from "express";
import { createApiRouter } from "../api/create-api-router.js";
import { deriveAuthKeys } from "../auth/auth-keys.js";
import { createAccessGate } from "../auth/create-access-gate.js";
import { createUserAccess } from "../auth/create-user-access.js";
import { signInFromEnv } from "../auth/sign-in-from-env.js";
import { createSyncReporter } from "../checks/create-sync-reporter.js";
import { createGitHubWriteBudget } from "../checks/github-write-budget.js";
import type { Env } from "../config/env.js";
import { listMigrationNames } from "../db/apply-migrations.js";
import { connectDatabase, type Database } from "../db/connect-database.js";
import type { Db } from "../db/create-prisma-client.js";
import { createProcessPresence, type ProcessPresence } from "../db/create-process-presence.js";
import { toAppError } from "../errors.js";
import { createSyncEventsHandler } from "../events/create-sync-events-handler.js";
import { createSyncEventHub, type SyncEventHub } from "../events/sync-event-hub.js";
import { createClientFactory } from "../github/create-client-factory.js";
import { githubApiBaseUrl } from "../github/github-api-base-url.js";
import { createTaskTracker, type TaskTracker } from "../handlers/create-task-tracker.js";
import type { ProjectSyncAppDeps } from "../handlers/project-sync-app-deps.js";
import { createHttpServer } from "../http/create-http-server.js";
import { createReadiness } from "../http/create-readiness.js";
import { listenHttpServer } from "../http/listen-http-server.js";
import type { Logger } from "../logger.js";
import { createMcpHttpHandler } from "../mcp/create-mcp-http-handler.js";
import { createMcpServer } from "../mcp/create-mcp-server.js";
import { createMemoryChangeFeed } from "../mcp/memory-change-feed.js";
import { type AppMetrics, createAppMetrics } from "../metrics/app-metrics.js";
import { createSyncMetrics } from "../metrics/create-sync-metrics.js";
import { createWebhookDispatcher } from "../outbox/create-webhook-dispatcher.js";
import { OUTBOX_NOTIFICATION } from "../outbox/notify-outbox.js";
import { createSyncWorker } from "../queue/create-sync-worker.js";
import type { SyncReporter } from "../queue/sync-reporter.js";
import type { SyncWorker } from "../queue/sync-worker.js";
import { createSearchIndexer } from "../search/create-search-indexer.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { createWebRouter } from "../web/create-web-router.js";
import {
  type CreateGitHubAppMiddlewareOptions,
  createGitHubAppMiddleware,
  type GitHubAppMiddleware,
  type GitHubAppMode,
} from "./create-github-app-middleware.js";
import { readDatabaseReadings } from "./read-database-readings.js";
import { readVersion } from "./read-version.js";
import { scheduleReconcile } from "./schedule-reconcile.js";
import { type Inbox, startInbox } from "./start-inbox.js";
import { startWebhookProxy } from "./start-webhook-proxy.js";

// The reporter's durable backstop (check runs and reactions a crash or a GitHub error left behind), also at start-up.
const REPORTER_SWEEP_MS = 10_000;
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
  /** the ordered shutdown: MCP sessions, HTTP and events, inbox, worker (running syncs re-queued), background tasks, reports, database */
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
    const github = await createGitHubAppMiddleware({
      env,
      log,
      deps: { ...recordSyncDeps(core), tasks: core.tasks },
      setup: options.setup,
    });
    const { metrics, presence, tasks } = core;
    const inbox = github.probot
      ? startInbox({ env, log, database, metrics, presence, tasks, probot: github.probot })
      : null;
    const http = await startHttp({ env, log, database, core, events, inbox, middleware: github.middleware });
    const runs = core.webOnly ? "web only, no syncs" : `${env.SYNC_CONCURRENCY} sync(s) at once`;
    log.info(`Project Sync ${http.version} listening on ${http.url} (${github.mode}, ${runs})`);
    if (!env.API_TOKEN) log.info("API_TOKEN is unset: the API and the page answer loopback clients only.");
    const stopBackground = await startBackground({ env, log, core, inbox, github, events, url: http.url });

    return {
      mode: github.mode,
      url: http.url,
      stop: async () => {
        await stopBackground();
        // Closing ends the event streams that are open; stopping the hub with it ends those still reading their
        // sync (they end as soon as they open), which would otherwise hold the close for its whole grace period,
        // and the worker's running syncs with it.
        await http.closeMcp();
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

/** What webhook handlers and reconcile record syncs with; a web-only process has no worker to wake. */
function recordSyncDeps(core: Core): Omit<ProjectSyncAppDeps, "appId" | "tasks"> {
  return {
    service: core.service,
    reporter: core.reporter,
    worker: core.webOnly ? { wake() {} } : core.worker,
  };
}

/**
 * The HTTP server, listening: webhooks (the inbox's intake, then the GitHub App's middleware), readiness, metrics, the
 * REST API with its event streams, the page.
 */
async function startHttp(options: {
  env: Env;
  log: Logger;
  database: Database;
  core: Core;
  events: SyncEventHub;
  inbox: Inbox | null;
  middleware: RequestHandler[];
}): Promise<
  Awaited<ReturnType<typeof listenHttpServer>> & { version: string; closeMcp: () => Promise<void> }
> {
  const { env, log, database, core, events, inbox } = options;
  const version = readVersion();
  const migrations = await listMigrationNames();
  const signIn = signInDeps(env, database.db);
  // one cache of people's repositories for the API and MCP
  const userAccess = signIn ? createUserAccess(signIn.deps, signIn.config) : undefined;
  // MCP sessions, each notified of the syncs that change the files it subscribed to, from any process
  const feed = createMemoryChangeFeed({ db: database.db, hub: events, log });
  const mcp = createMcpHttpHandler({
    createServer: (principal) =>
      createMcpServer({
        service: core.service,
        feed,
        version,
        gate: createAccessGate({ db: database.db, userAccess }, principal),
      }),
    log,
  });
  const http = await listenHttpServer(
    createHttpServer({
      db: database.db,
      log,
      version,
      middleware: [...(inbox ? [inbox.intake] : []), ...options.middleware],
      api: createApiRouter({
        ...recordSyncDeps(core),
        events: createSyncEventsHandler({ db: database.db, hub: events, log }),
        version,
        webhooks: { allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS },
        ...(signIn && userAccess ? { userAccess, auth: signIn.deps } : {}),
      }),
      mcp: mcp.handler,
      web: createWebRouter({ apiBase: "/api/v1" }),
      apiToken: env.API_TOKEN,
      signIn,
      trustProxy: env.TRUST_PROXY,
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
  const closeMcp = async () => {
    feed.stop();
    await mcp.close();
  };
  return { ...http, version, closeMcp };
}

/**
 * Once the server listens: the worker and the inbox (unless web-only), the reporter's sweep, reconcile and the webhook
 * proxy. Resolves to what stops the timers and the proxy.
 */
async function startBackground(options: {
  env: Env;
  log: Logger;
  core: Core;
  inbox: Inbox | null;
  github: GitHubAppMiddleware;
  events: SyncEventHub;
  url: string;
}): Promise<() => Promise<void>> {
  const { env, log, core, inbox, github } = options;
  if (!core.webOnly) core.worker.start();
  // the processes that sync also index what they stored for search (after the sync's commit, never inside it)
  const indexer = core.webOnly ? null : createSearchIndexer({ db: core.service.db, log });
  indexer?.start();
  const stopWebhooks = startWebhooks(options);
  inbox?.start();
  const sweepReports = () => core.tasks.run("Reporter sweep", () => core.reporter.sweep());
  sweepReports();
  const timers = [setInterval(sweepReports, REPORTER_SWEEP_MS)];
  if (github.probot) {
    const deps = { ...recordSyncDeps(core), tasks: core.tasks, appId: Number(env.APP_ID) };
    timers.push(scheduleReconcile(deps, github.probot));
  }
  for (const timer of timers) timer.unref();
  const stopProxy = await startProxy(env, github.mode, options.url, log);
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await indexer?.stop();
    await stopWebhooks();
    await stopProxy();
  };
}

/**
 * The processes that sync also send the outbox's webhooks: woken at once when a sync ends in any process (the outbox
 * trigger's NOTIFY), polling as a backstop. Resolves to what stops it (attempts in progress finish first).
 */
function startWebhooks(options: {
  env: Env;
  log: Logger;
  core: Core;
  events: SyncEventHub;
}): () => Promise<void> {
  const { env, log, core } = options;
  if (core.webOnly) return async () => {};
  const dispatcher = createWebhookDispatcher({
    db: core.service.db,
    log,
    now: core.service.now,
    publicUrl: env.PUBLIC_URL,
    allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    presenceKey: () => core.presence.key,
  });
  const unsubscribe = options.events.subscribe(OUTBOX_NOTIFICATION, () => dispatcher.wake());
  dispatcher.start();
  return async () => {
    unsubscribe();
    await dispatcher.stop();
  };
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

/** Sign in with GitHub when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set (see signInFromEnv); else undefined. */
function signInDeps(env: Env, db: Db) {
  const signIn = signInFromEnv(env, githubApiBaseUrl(env));
  if (!signIn) return undefined;
  return {
    deps: { db, now: () => new Date(), keys: deriveAuthKeys(signIn.sessionSecret) },
    config: signIn.config,
  };
}
