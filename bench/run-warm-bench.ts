// `npm run bench:warm [-- --quick] [-- --sizes 1000,100000 --pushes 1,10 --count 50]`: push-to-memory in the
// running app, warm. The real app (src/main.ts, as `npm start` runs it) runs as a child process on an embedded
// PostgreSQL against the GitHub simulator; its start-up reconcile makes the first sync (timed, with the search index's
// catch-up after it). Then, per k, `count` pushes of k changed files each: the simulator moves the branch and delivers
// the signed push webhook, and the bench times from the webhook's POST to the sync's `succeeded` (its NOTIFY, read on
// a LISTEN connection): intake, queue, sync, finalize — what a user waits for. The baseline (the seed's design,
// bench/baseline-sync.ts) syncs the same commits in this process, warm as well, from the same memory (copied), on a
// simulator of its own. Results: bench/results/<time>-warm.json and a table on stdout.
import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createGitHubSimulator, type SimulatorStats } from "../sim/create-github-simulator.js";
import { commitChanges, generateRepository } from "../sim/generate-repository.js";
import { applyMigrations } from "../src/db/apply-migrations.js";
import { createPrismaClient, type Db } from "../src/db/create-prisma-client.js";
import { startEmbeddedPostgres } from "../src/db/start-embedded-postgres.js";
import { createOctokit } from "../src/github/create-octokit.js";
import { ensureRepository } from "../src/service/find-repository.js";
import { baselineSync } from "./baseline-sync.js";
import { copyMemory, mix } from "./copy-memory.js";
import { listGitFiles } from "./list-git-files.js";
import { type AppProcess, startAppProcess } from "./load/app-process.js";
import { round, type Summary, summarize } from "./load/stats.js";
import { machineInfo } from "./machine-info.js";
import { generateAppKey } from "./warm/generate-app-key.js";
import { listenForSyncs, waitForSyncOf } from "./warm/wait-for-sync.js";

const OWNER = "warm";
const BRANCH = "main";
const MAX_FILE_SIZE_BYTES = 1024 * 1024;
// pushes made before measuring, per size: the first queries, JIT and connection pools of both sides
const WARM_UP_PUSHES = 3;
const TARGET_MS = 100;
// The archive download is not a REST or GraphQL call: it does not count against the installation's rate limit.
const NOT_API = (route: string) => route.includes("_codeload");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    pushes: { type: "string" },
    count: { type: "string" },
    "no-baseline": { type: "boolean", default: false },
    // the baseline's pushes per scenario at N ≥ 100,000, where each of its syncs walks the whole tree (seconds each)
    "large-baseline-count": { type: "string" },
  },
});
const quick = values.quick === true;
const settings = {
  sizes: (values.sizes ?? (quick ? "1000" : "1000,100000")).split(",").map(Number),
  pushes: (values.pushes ?? "1,10").split(",").map(Number),
  count: Number(values.count ?? (quick ? "10" : "50")),
  baseline: values["no-baseline"] !== true,
  largeBaselineCount: Number(values["large-baseline-count"] ?? "10"),
  warmUpPushes: WARM_UP_PUSHES,
};

type PushSample = {
  /** webhook POST sent → sync succeeded (ours); sync function called → returned (baseline) */
  ms: number;
  /** ours: the webhook's answer */
  ackMs?: number;
  /** ours: the sync's own span in the database (queued → finished) */
  syncMs?: number;
  apiRequests: number;
  /** time the simulator spent answering (sum over the requests of this push) */
  simMs: number;
};
type Scenario = {
  size: number;
  k: number;
  impl: "ours" | "baseline";
  ms: Summary;
  ackMs?: Summary;
  syncMs?: Summary;
  simMs: Summary;
  /** ms minus the simulator's time: what the implementation itself costs */
  ownMs: Summary;
  apiRequests: Summary;
};
type FirstSync = { size: number; readableMs: number; searchableLagMs: number | null; requests: number };

// one results file per run, rewritten after each size: a run stopped at the large size keeps the small one's figures
const STAMP = new Date().toISOString().replace(/[:.]/g, "-");
const scenarios: Scenario[] = [];
const loadAverageAtStart = os.loadavg().map((value) => round(value, 2));
const firstSyncs: FirstSync[] = [];
const root = await mkdtemp(path.join(os.tmpdir(), "project-sync-warm-"));
await chmod(root, 0o755); // as root, PostgreSQL runs as the OS user "postgres", who must reach its folder
const postgres = await startEmbeddedPostgres({
  dataDir: path.join(root, "pg"),
  persistent: false,
});
const admin = new pg.Client({ connectionString: postgres.url });
await admin.connect();
try {
  for (const size of settings.sizes) {
    await runSize(size);
    await report();
  }
} finally {
  await admin.end().catch(() => undefined);
  await postgres.stop().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
}

async function runSize(size: number): Promise<void> {
  const at = performance.now();
  const generated = await generateRepository({
    dir: path.join(root, `repo-${size}`),
    files: size,
    seed: size,
  });
  log(`generated ${size} files in ${Math.round(performance.now() - at)} ms`);
  const database = `warm_${size}`;
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(postgres.url);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  await applyMigrations(databaseUrl);

  const ourName = `ours-${size}`;
  const sim = createGitHubSimulator();
  await sim.addRepository({ owner: OWNER, name: ourName, gitDir: generated.gitDir });
  const baseSim = createGitHubSimulator();
  // its own GitHub id: memory knows repositories by id, and two simulators would both start counting at the same one
  await baseSim.addRepository({
    owner: OWNER,
    name: `base-${size}`,
    gitDir: generated.gitDir,
    id: 900_000 + size,
  });
  const address = await sim.start();
  const baseAddress = await baseSim.start();
  const db = createPrismaClient(databaseUrl);
  const listener = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  await listenForSyncs(listener);
  const secret = randomBytes(20).toString("hex");
  let app: AppProcess | null = null;
  try {
    const started = performance.now();
    app = await startAppProcess({
      entry: "src/main.ts",
      logFile: path.join(root, `app-${size}.log`),
      readyTimeoutMs: 600_000,
      env: {
        DATABASE_URL: databaseUrl,
        APP_ID: "1",
        PRIVATE_KEY: generateAppKey(),
        WEBHOOK_SECRET: secret,
        ...address.ghe,
        LOG_LEVEL: "warn",
        NODE_ENV: "production",
        SYNC_TRACE: process.env.SYNC_TRACE ?? "",
        // e.g. WARM_APP_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof": a V8 profile of the app, written at its exit
        ...(process.env.WARM_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.WARM_APP_NODE_OPTIONS } : {}),
      },
    });
    sim.setWebhookTarget({ url: `${app.url}/api/github/webhooks`, secret });
    firstSyncs.push(await measureFirstSync(db, size, started, () => sim.stats()));
    const ours = await db.repository.findFirstOrThrow({ where: { owner: OWNER, name: ourName } });
    const baseClient = createOctokit({ auth: "ghs_bench", baseUrl: baseAddress.apiUrl });
    const base = await ensureRepository({ db, githubFor: async () => baseClient }, `${OWNER}/base-${size}`);
    if (settings.baseline) await copyMemory(db, { from: ours.id, to: base.id, branch: BRANCH });

    let head = generated.headSha;
    const pushOnce = async (k: number, seed: number, withBaseline: boolean) => {
      head = await commitChanges({ gitDir: generated.gitDir, parent: head, changes: mix(k), seed });
      sim.resetStats();
      const commitsBefore = process.env.DEBUG_WARM ? await commitCount(listener) : 0;
      const done = waitForSyncOf(listener, head);
      const delivery = await sim.push(OWNER, ourName, BRANCH, head);
      // from the webhook's POST: the simulator builds the push's payload from git before (GitHub's work, not ours)
      const ackMs = delivery.durationMs;
      const t0 = performance.now() - ackMs;
      if (delivery.status < 200 || delivery.status > 299)
        throw new Error(`the app answered the push with ${delivery.status}: ${delivery.body}`);
      const sync = await done;
      const ourSample: PushSample = {
        ms: performance.now() - t0,
        ackMs,
        syncMs: sync.spanMs,
        ...simCost(sim.stats()),
      };
      if (process.env.DEBUG_WARM) log(await describePush(listener, head, ourSample.ms, ackMs, commitsBefore));
      if (!withBaseline) return { ours: ourSample, baseline: null };
      baseSim.setBranch(OWNER, `base-${size}`, BRANCH, head);
      baseSim.resetStats();
      const b0 = performance.now();
      await baselineSync({
        db,
        client: baseClient,
        repository: base,
        branch: BRANCH,
        maxFileSizeBytes: MAX_FILE_SIZE_BYTES,
      });
      return { ours: ourSample, baseline: { ms: performance.now() - b0, ...simCost(baseSim.stats()) } };
    };

    for (let index = 0; index < settings.warmUpPushes; index += 1)
      await pushOnce(1, 90_000 + index, settings.baseline);
    for (const k of settings.pushes) {
      const ours: PushSample[] = [];
      const baseline: PushSample[] = [];
      for (let index = 0; index < settings.count; index += 1) {
        const baselineCount = size >= 100_000 ? settings.largeBaselineCount : settings.count;
        const sample = await pushOnce(k, k * 1000 + index, settings.baseline && index < baselineCount);
        ours.push(sample.ours);
        if (sample.baseline) baseline.push(sample.baseline);
      }
      scenarios.push(scenarioOf(size, k, "ours", ours));
      if (baseline.length > 0) scenarios.push(scenarioOf(size, k, "baseline", baseline));
      log(describe(size, k));
    }
    await verifyMemory(db, ours.id, generated.gitDir, head, "the app's");
    // the baseline synced every push only where it ran them all (at N ≥ 100,000 it runs the first few of each k)
    if (settings.baseline && (size < 100_000 || settings.largeBaselineCount >= settings.count))
      await verifyMemory(db, base.id, generated.gitDir, head, "the baseline's");
  } finally {
    await app?.stop();
    // the app's log outlives the bench's temporary folder (a failed run is read from it)
    if (app) await copyFile(app.logFile, path.join(os.tmpdir(), `project-sync-warm-app-${size}.log`));
    await listener.end().catch(() => undefined);
    await db.$disconnect();
    await sim.stop();
    await baseSim.stop();
  }
}

/** The start-up reconcile's first sync: until memory is readable, then until the search index caught up with it. */
async function measureFirstSync(
  db: Db,
  size: number,
  started: number,
  stats: () => SimulatorStats,
): Promise<FirstSync> {
  const deadline = started + 1_800_000;
  for (;;) {
    const sync = await db.projectSync.findFirst({ where: { branch: BRANCH }, orderBy: { createdAt: "asc" } });
    if (sync?.status === "succeeded" && sync.startedAt && sync.finishedAt) {
      const readableMs = sync.finishedAt.getTime() - sync.startedAt.getTime();
      log(`N=${size} first sync: memory readable after ${readableMs} ms; waiting for the search index`);
      const searchable = await waitFor(async () => {
        const row = await db.projectSync.findUniqueOrThrow({ where: { id: sync.id } });
        return row.searchableAt;
      }, deadline);
      const searchableLagMs = searchable ? searchable.getTime() - sync.finishedAt.getTime() : null;
      log(
        `N=${size} first sync: searchable ${searchableLagMs === null ? "not within the wait" : `${searchableLagMs} ms after`}`,
      );
      return { size, readableMs, searchableLagMs, requests: simCost(stats()).apiRequests };
    }
    if (sync && sync.status !== "queued" && sync.status !== "running")
      throw new Error(`the first sync of N=${size} ended ${sync.status}`);
    if (performance.now() > deadline) throw new Error(`the first sync of N=${size} did not end in time`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitFor<T>(read: () => Promise<T | null>, deadline: number): Promise<T | null> {
  for (;;) {
    const value = await read();
    if (value !== null || performance.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Memory after the last push equals git's tree at the head: a fast bench that stores the wrong files proves nothing. */
async function verifyMemory(
  db: Db,
  repositoryId: string,
  gitDir: string,
  head: string,
  whose: string,
): Promise<void> {
  const expected = await listGitFiles(gitDir, head);
  const rows = await db.memoryEntry.findMany({
    where: { repositoryId, branch: BRANCH, status: "active" },
    select: { path: true, mode: true, blobSha: true },
  });
  const actual = new Map(rows.map((row) => [row.path, `${row.mode} ${row.blobSha}`]));
  const wrong = [...expected].filter(([file, sha]) => actual.get(file) !== sha);
  if (wrong.length > 0 || actual.size !== expected.size)
    throw new Error(
      `${whose} memory differs from git at ${head}: ${wrong.length} wrong of ${expected.size} (memory has ${actual.size})`,
    );
}

/**
 * DEBUG_WARM=1: where one push's time went, from the database's timestamps relative to the delivery's receipt, and the
 * transactions committed meanwhile (PostgreSQL's statistics are flushed lazily: a rough count).
 */
async function describePush(
  client: pg.Client,
  head: string,
  totalMs: number,
  ackMs: number,
  commitsBefore: number,
): Promise<string> {
  const { rows } = await client.query<{ what: string; ms: number }>(
    `WITH d AS (SELECT "receivedAt" AS t0, "processedAt" FROM "WebhookDelivery" ORDER BY "receivedAt" DESC LIMIT 1),
          s AS (SELECT * FROM "ProjectSync" WHERE "headSha" = $1 ORDER BY "createdAt" DESC LIMIT 1)
     SELECT 'processed' AS what, extract(epoch FROM d."processedAt" - d.t0) * 1000 AS ms FROM d
     UNION ALL SELECT 'created', extract(epoch FROM s."createdAt" - d.t0) * 1000 FROM d, s
     UNION ALL SELECT 'started', extract(epoch FROM s."startedAt" - d.t0) * 1000 FROM d, s
     UNION ALL SELECT e.type || ' ' || coalesce(e.payload->>'phase', e.payload->>'status', ''),
                      extract(epoch FROM e."createdAt" - d.t0) * 1000
               FROM d, s JOIN "ProjectSyncEvent" e ON e."syncId" = s.id
     UNION ALL SELECT 'finished', extract(epoch FROM s."finishedAt" - d.t0) * 1000 FROM d, s`,
    [head],
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const commits = (await commitCount(client)) - commitsBefore;
  const steps = rows.map((row) => `${row.what} ${Math.round(row.ms)}`).join(", ");
  return `commits ${commits} total ${Math.round(totalMs)} ack ${Math.round(ackMs)}: ${steps}`;
}

async function commitCount(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    "SELECT pg_stat_get_db_xact_commit(oid)::text AS n FROM pg_database WHERE datname = current_database()",
  );
  return Number(rows[0]?.n ?? 0);
}

function simCost(stats: SimulatorStats): { apiRequests: number; simMs: number } {
  const routes = Object.keys(stats.requests).filter((route) => !NOT_API(route) && !isCheckRun(route));
  return {
    apiRequests: routes.reduce((sum, route) => sum + (stats.requests[route] ?? 0), 0),
    simMs: routes.reduce((sum, route) => sum + (stats.serveMs[route] ?? 0), 0),
  };
}

// Check runs are written beside the sync, after memory: not part of push-to-memory.
function isCheckRun(route: string): boolean {
  return route.includes("check-runs") || route.includes("/app/installations");
}

function scenarioOf(size: number, k: number, impl: "ours" | "baseline", samples: PushSample[]): Scenario {
  const pick = (field: keyof PushSample) =>
    samples.flatMap((sample) => (sample[field] === undefined ? [] : [sample[field] as number]));
  return {
    size,
    k,
    impl,
    ms: summarize(pick("ms")),
    ...(impl === "ours" ? { ackMs: summarize(pick("ackMs")), syncMs: summarize(pick("syncMs")) } : {}),
    simMs: summarize(pick("simMs")),
    ownMs: summarize(samples.map((sample) => sample.ms - sample.simMs)),
    apiRequests: summarize(pick("apiRequests")),
  };
}

function describe(size: number, k: number): string {
  const of = (impl: string) => scenarios.find((row) => row.size === size && row.k === k && row.impl === impl);
  const ours = of("ours") as Scenario;
  const baseline = of("baseline");
  const line = `N=${size} k=${k}: ours p50 ${ours.ms.p50} / p95 ${ours.ms.p95} ms (simulator ${ours.simMs.p50} ms, own ${ours.ownMs.p50} / ${ours.ownMs.p95} ms, ${ours.apiRequests.p50} req)`;
  if (!baseline) return line;
  return `${line}; baseline p50 ${baseline.ms.p50} / p95 ${baseline.ms.p95} ms (${baseline.apiRequests.p50} req) → ${round(baseline.ms.p50 / ours.ms.p50, 2)}× at p50`;
}

async function report(): Promise<void> {
  const targets = scenarios
    .filter((row) => row.impl === "ours")
    .map((row) => {
      const baseline = scenarios.find(
        (other) => other.impl === "baseline" && other.size === row.size && other.k === row.k,
      );
      return {
        scenario: `N=${row.size} k=${row.k}`,
        ownP95Ms: row.ownMs.p95,
        withinTarget: row.ownMs.p95 <= TARGET_MS,
        fasterThanBaselineAtP50: baseline ? row.ms.p50 < baseline.ms.p50 : null,
        ratioP50: baseline ? round(baseline.ms.p50 / row.ms.p50, 2) : null,
      };
    });
  const resultsDir = path.join(import.meta.dirname, "results");
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${STAMP}-warm.json`);
  const machine = { ...machineInfo(), loadAverageAtStart };
  await writeFile(
    file,
    `${JSON.stringify({ mode: "warm", machine, settings, firstSyncs, targets, scenarios }, null, 2)}\n`,
  );
  for (const target of targets) log(JSON.stringify(target));
  log(`results: ${path.relative(process.cwd(), file)}`);
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
