// `npm run bench:load [-- --rate 200 --duration 60 --branches 16 --files 500 --redeliveries 0.1 --no-knee
// --no-baseline --drain-timeout 360]`: proves the webhook intake never loses a push. The real app (src/main.ts, as
// `npm start` runs it) runs as a child process on an embedded PostgreSQL against the GitHub simulator (with GitHub's
// secondary limits), and gets signed push deliveries at a fixed rate, open loop, 10 % of them redeliveries. Then it
// drains, and the bench checks: every unique delivery stored and synced exactly once, memory equal to git on every
// branch, check runs within GitHub's limits. Also: the knee (the highest rate still acknowledged with p99 ≤ 50 ms and
// no error) and a baseline — the previous design, Probot's middleware running the handlers before it answers — under
// the same load. Results: bench/results/<time>-load.json and a summary on stdout; the apps' logs in a temporary folder.
// The load generator runs in a worker thread at a raised priority (it needs little CPU but must send and read answers
// on time); this thread serves the simulator. The CPU split (app, PostgreSQL, bench, other processes) is measured
// while sending: on a shared 2-core machine, "other" tells how much someone else's work weighed on the figures.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createGitHubSimulator, type GitHubSimulator } from "../../sim/create-github-simulator.js";
import { type ChainPush, generatePushChains } from "../../sim/generate/generate-push-chains.js";
import { generateRepository } from "../../sim/generate-repository.js";
import { startEmbeddedPostgres } from "../../src/db/start-embedded-postgres.js";
import { machineInfo } from "../machine-info.js";
import { type AppProcess, killAppProcesses, startAppProcess } from "./app-process.js";
import { type CpuUsage, measureCpu } from "./cpu-usage.js";
import { type LoadPlan, planLoad, prepareDeliveries } from "./load-plan.js";
import { runOpenLoop } from "./run-open-loop.js";
import type { DeliveryOutcome } from "./send-open-loop.js";
import { round, type Summary, summarize } from "./stats.js";
import {
  type DrainResult,
  drain,
  scrapeMetrics,
  type Verification,
  verifyRun,
  waitForStartupSync,
} from "./verify-load-run.js";

const OWNER = "load";
const NAME = "bench";
const WEBHOOK_PATH = "/api/github/webhooks";
const SECONDARY_LIMITS = { perMinute: 80, perHour: 500 };
const TARGET = { rate: 200, durationS: 60, ackP99Ms: 50 };
// Acknowledgement is also summarised without the first seconds of a run (JIT, connection pools, first queries).
const WARM_UP_S = 5;
// The knee probes below its lowest rate (halving) down to this rate when no rate met the target.
const MIN_KNEE_RATE = 25;
// Settings of the app passed through from the bench's environment when set (recorded with the results).
const PASSED_THROUGH = ["SYNC_CONCURRENCY", "GITHUB_WRITES_PER_MINUTE", "GITHUB_WRITES_PER_HOUR"];

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "200" },
    duration: { type: "string", default: "60" },
    branches: { type: "string", default: "16" },
    files: { type: "string", default: "500" },
    redeliveries: { type: "string", default: "0.1" },
    "drain-timeout": { type: "string", default: "360" },
    knee: { type: "boolean", default: false },
    "no-knee": { type: "boolean", default: false },
    "knee-rates": { type: "string", default: "100,200,300,400,600,800" },
    "knee-duration": { type: "string", default: "15" },
    "no-baseline": { type: "boolean", default: false },
    "baseline-duration": { type: "string", default: "20" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(
    [
      "npm run bench:load -- [options]",
      "  --rate N               deliveries per second of the main run (200)",
      "  --duration S           seconds of sending in the main run (60)",
      "  --branches N           branches pushed round-robin, all starting at main's head (16)",
      "  --files N              files of the generated repository (500)",
      "  --redeliveries F       share of deliveries that repeat an earlier one (0.1)",
      "  --drain-timeout S      how long to wait for the app to catch up after the main run (360)",
      "  --no-baseline          skip the baseline (Probot's middleware running the handlers before answering)",
      "  --baseline-duration S  seconds of the baseline run, at --rate (20)",
      "  --no-knee              skip the knee (short runs at increasing rates)",
      "  --knee                 run only the knee (no main run, no baseline)",
      "  --knee-rates LIST      rates of the knee runs (100,200,300,400,600,800); when none meets the target,",
      "                         the lowest is halved (down to 25/s) until one does",
      "  --knee-duration S      seconds of each knee run (15)",
      "  --seed N               repository, pushes and schedule (1)",
      "",
    ].join("\n"),
  );
  process.exit(0);
}

const settings = {
  rate: positive("rate"),
  durationS: positive("duration"),
  branches: Math.round(positive("branches")),
  files: Math.round(positive("files")),
  redeliveryShare: Number(values.redeliveries),
  drainTimeoutS: positive("drain-timeout"),
  kneeOnly: values.knee === true,
  knee: values.knee === true || values["no-knee"] !== true,
  kneeRates: String(values["knee-rates"]).split(",").map(Number),
  kneeDurationS: positive("knee-duration"),
  baseline: values.knee !== true && values["no-baseline"] !== true,
  baselineDurationS: positive("baseline-duration"),
  seed: Math.round(Number(values.seed)),
  secondaryLimits: SECONDARY_LIMITS,
  app: Object.fromEntries(
    PASSED_THROUGH.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  ),
};
if (!(settings.redeliveryShare >= 0 && settings.redeliveryShare < 1))
  fail("--redeliveries must be in [0, 1)");
if (settings.kneeRates.some((rate) => !(rate > 0))) fail("--knee-rates must be positive numbers");

type Scenario = {
  name: string;
  kind: "app" | "baseline";
  plan: LoadPlan;
  /** drain and verify after sending (the main run) */
  verify: boolean;
};

type AckFigures = {
  sent: number;
  unique: number;
  redeliveries: number;
  /** deliveries per second over the sending window */
  achievedRate: number;
  sendingS: number;
  /** how late sends went out (a busy bench process), ms */
  sendLagMs: Summary;
  /** from send to the full answer, ms; a delivery without an answer counts with the time it took to fail */
  ackMs: Summary;
  /** the same without the first WARM_UP_S seconds of the run (a freshly started app warming up) */
  ackSteadyMs: Summary | null;
  nonTwoXx: number;
  byStatus: Record<string, number>;
  /** answers' `status` field: accepted, duplicate, ... */
  answers: Record<string, number>;
  /** unique deliveries not answered 202 accepted, and redeliveries not answered 200 duplicate (the app only) */
  unexpectedAnswers: { unique: number; redelivery: number };
  errors: string[];
  /** per second of sending: deliveries, ack p99 and non-2xx */
  timeline: { second: number; sent: number; p99: number; max: number; nonTwoXx: number }[];
};

type ScenarioResult = {
  name: string;
  kind: Scenario["kind"];
  rate: number;
  durationS: number;
  ack: AckFigures | null;
  startupSyncMs?: number;
  drain?: DrainResult;
  verification?: Verification;
  checkRuns?: {
    created: number;
    writes: number;
    refusedBySimulator: number;
    contentWrites: ReturnType<GitHubSimulator["contentWrites"]>;
    /** syncs run + one per branch with syncs */
    limit: number;
    ok: boolean;
  };
  metrics?: Record<string, number | string>;
  /** CPU seconds by process while the load was sent (2 cores are shared by the app, PostgreSQL and the bench) */
  cpuWhileSending?: CpuUsage;
  cpuWhileDraining?: CpuUsage;
  /** the load generator's thread: its niceness, how late its event loop ran, and branch heads moved too late */
  sender?: {
    priority: string;
    eventLoopDelayMs: { p50: number; p99: number; max: number };
    lateHeadMoves: number;
  };
  /** content writes the simulator admitted (and refused) so far, every 5 s from the first send */
  contentWritesTimeline?: { atS: number; total: number; refused: number }[];
  crashed?: { exit: ReturnType<AppProcess["exited"]>; tail: string };
  /** the app did not exit 0 on SIGTERM (after the load; the bench does not wait for a drain first) */
  stopFailed?: { exit: ReturnType<AppProcess["exited"]>; tail: string };
  error?: string;
  logFile: string;
  wallS: number;
};

const benchStarted = performance.now();
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const logDir = path.join(os.tmpdir(), `project-sync-load-logs-${stamp}`);
await mkdir(logDir, { recursive: true });
const root = await mkdtemp(path.join(os.tmpdir(), "project-sync-load-"));
await chmod(root, 0o755); // as root, PostgreSQL runs as the OS user "postgres", who must reach its folder
log(`logs of the app processes: ${logDir}`);

const scenarios: Scenario[] = [];
if (!settings.kneeOnly) {
  scenarios.push({ name: "main", kind: "app", plan: plan(settings.rate, settings.durationS), verify: true });
}
if (settings.baseline) {
  scenarios.push({
    name: "baseline",
    kind: "baseline",
    plan: plan(settings.rate, settings.baselineDurationS),
    verify: false,
  });
}
if (settings.knee) {
  for (const rate of settings.kneeRates) {
    scenarios.push({
      name: `knee-${rate}`,
      kind: "app",
      plan: plan(rate, settings.kneeDurationS),
      verify: false,
    });
  }
}

const results: ScenarioResult[] = [];
const timings: Record<string, number> = {};
const pgDataDir = path.join(root, "pg");
const postgres = await startEmbeddedPostgres({ dataDir: pgDataDir, persistent: false });
// Interrupted: no app process, PostgreSQL server or temporary folder is left behind.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    killAppProcesses();
    void postgres
      .stop()
      .catch(() => undefined)
      .then(() => rm(root, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  });
}
const admin = new pg.Pool({ connectionString: postgres.url, max: 2 });
try {
  let at = performance.now();
  const repo = await generateRepository({
    dir: path.join(root, "repo.git"),
    files: settings.files,
    seed: settings.seed,
  });
  timings.generateRepositoryS = seconds(at);
  const branches = Array.from(
    { length: settings.branches },
    (_, index) => `load-${String(index).padStart(String(settings.branches - 1).length, "0")}`,
  );
  const pushesNeeded = Math.max(...scenarios.map((scenario) => scenario.plan.uniqueCount));
  at = performance.now();
  const chains = await generatePushChains({
    gitDir: repo.gitDir,
    base: repo.headSha,
    branches,
    pushes: pushesNeeded,
    seed: settings.seed,
  });
  timings.generatePushesS = seconds(at);
  log(
    `generated ${settings.files} files and ${chains.pushes.length} pushes on ${branches.length} branches ` +
      `(${timings.generateRepositoryS} s + ${timings.generatePushesS} s)`,
  );
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;

  const context = { repo, branches, pushes: chains.pushes, privateKey };
  for (const scenario of scenarios) {
    const result = await runScenario(scenario, context);
    results.push(result);
    log(describe(result));
  }
  // No knee rate met the target: halve the lowest rate (down to MIN_KNEE_RATE) until one does, so the knee says where
  // the target is met rather than only that it is not met from the first rate on.
  let probe = Math.min(...settings.kneeRates) / 2;
  while (settings.knee && probe >= MIN_KNEE_RATE && !kneeOf(kneeResults())?.highestRateMet) {
    const result = await runScenario(
      { name: `knee-${probe}`, kind: "app", plan: plan(probe, settings.kneeDurationS), verify: false },
      context,
    );
    results.push(result);
    log(describe(result));
    probe /= 2;
  }
} finally {
  await admin.end().catch(() => undefined);
  await postgres.stop().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
}
timings.totalS = seconds(benchStarted);

const main = results.find((result) => result.name === "main");
const baseline = results.find((result) => result.name === "baseline");
const knee = kneeOf(kneeResults());
const comparison =
  main?.ack && baseline?.ack
    ? {
        ours: pick(main.ack),
        baseline: pick(baseline.ack),
        p50Ratio: ratio(baseline.ack.ackMs.p50, main.ack.ackMs.p50),
        p99Ratio: ratio(baseline.ack.ackMs.p99, main.ack.ackMs.p99),
        maxRatio: ratio(baseline.ack.ackMs.max, main.ack.ackMs.max),
      }
    : null;
const targets = main ? targetsOf(main) : [];

printSummary();
const resultsDir = path.join(import.meta.dirname, "..", "results");
await mkdir(resultsDir, { recursive: true });
const file = path.join(resultsDir, `${stamp}-load.json`);
const machine = machineInfo();
await writeFile(
  file,
  `${JSON.stringify({ mode: "load", machine, settings, timings, targets, comparison, knee, logDir, scenarios: results }, null, 2)}\n`,
);
formatJson(file);
log(`results: ${path.relative(process.cwd(), file)}`);
if (
  targets.some((target) => !target.met) ||
  results.some((result) => result.crashed || result.error || result.stopFailed)
) {
  process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------------------------

async function runScenario(
  scenario: Scenario,
  context: {
    repo: { gitDir: string; headSha: string; branch: string };
    branches: string[];
    pushes: ChainPush[];
    privateKey: string;
  },
): Promise<ScenarioResult> {
  const started = performance.now();
  const { repo, branches } = context;
  const { plan: load } = scenario;
  const logFile = path.join(logDir, `${scenario.name}.log`);
  const result: ScenarioResult = {
    name: scenario.name,
    kind: scenario.kind,
    rate: load.rate,
    durationS: load.durationS,
    ack: null,
    logFile,
    wallS: 0,
  };
  log(
    `${scenario.name}: ${scenario.kind === "app" ? "the app (src/main.ts)" : "the baseline (Probot middleware)"}, ` +
      `${load.slots.length} deliveries at ${load.rate}/s for ${load.durationS} s (${load.redeliveries} redeliveries)`,
  );
  // A fresh database, simulator and process per scenario: no backlog, write budget or limit window carries over.
  const database = `load_${scenario.name.replace(/[^a-z0-9]/gi, "_")}`;
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${database}"`);
  const databaseUrl = withDatabase(postgres.url, database);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  const sim = createGitHubSimulator({ secondaryLimits: SECONDARY_LIMITS });
  let app: AppProcess | null = null;
  let sampler: NodeJS.Timeout | undefined;
  try {
    await sim.addRepository({ owner: OWNER, name: NAME, gitDir: repo.gitDir });
    for (const branch of branches) sim.setBranch(OWNER, NAME, branch, repo.headSha);
    const address = await sim.start();
    const secret = randomBytes(20).toString("hex");
    app = await startAppProcess({
      entry: scenario.kind === "app" ? "src/main.ts" : "bench/load/start-baseline-app.ts",
      logFile,
      env: {
        DATABASE_URL: databaseUrl,
        APP_ID: "1",
        PRIVATE_KEY: context.privateKey,
        WEBHOOK_SECRET: secret,
        ...address.ghe,
        LOG_LEVEL: "warn",
        NODE_ENV: "production",
        ...settings.app,
      },
    });
    if (scenario.kind === "app") {
      // the start-up reconcile finds the installation and syncs main: the load starts from a synced repository
      result.startupSyncMs = await waitForStartupSync(pool, 120_000);
    }

    // each push happens on "GitHub" just before its first delivery is due: its pushed_at is that second
    const plannedStart = Date.now() + 5_000;
    const firstSlot = new Map<number, number>();
    load.slots.forEach((slot, index) => {
      if (!firstSlot.has(slot.unique)) firstSlot.set(slot.unique, index);
    });
    const deliveries = prepareDeliveries({
      pushes: context.pushes,
      count: load.uniqueCount,
      repository: sim.repositoryPayload(OWNER, NAME),
      installationId: 1,
      secret,
      pushedAt: (index) =>
        Math.floor((plannedStart + ((firstSlot.get(index) ?? 0) * 1000) / load.rate) / 1000),
    });
    if (scenario.verify) {
      const timeline: NonNullable<ScenarioResult["contentWritesTimeline"]> = [];
      result.contentWritesTimeline = timeline;
      const from = performance.now();
      sampler = setInterval(() => {
        const counts = Object.values(sim.contentWrites());
        timeline.push({
          atS: round((performance.now() - from) / 1000),
          total: counts.reduce((sum, count) => sum + count.total, 0),
          refused: counts.reduce((sum, count) => sum + count.refused, 0),
        });
      }, 5000);
    }
    const cpu = measureCpu(app.pid, pgDataDir);
    const sending = await runOpenLoop({
      url: `${app.url}${WEBHOOK_PATH}`,
      rate: load.rate,
      slots: load.slots.map((slot) => slot.unique),
      deliveries,
      moveHead: (index) => {
        const slot = load.slots[index];
        if (!slot || slot.redelivery) return null;
        const { push } = deliveries[slot.unique] as (typeof deliveries)[0];
        return () => sim.setBranch(OWNER, NAME, push.branch, push.after);
      },
    });
    const sentAt = performance.now();
    result.cpuWhileSending = cpu();
    result.sender = {
      priority: sending.priority,
      eventLoopDelayMs: {
        p50: round(sending.eventLoopDelayMs.p50),
        p99: round(sending.eventLoopDelayMs.p99),
        max: round(sending.eventLoopDelayMs.max),
      },
      lateHeadMoves: sending.lateHeadMoves,
    };
    result.ack = ackFigures(load, sending.outcomes, sending.sendingMs, scenario.kind);

    if (app.exited()) {
      result.crashed = { exit: app.exited(), tail: await app.tail(60, { problems: true }) };
      return result;
    }
    if (scenario.verify) {
      log(`${scenario.name}: sent; draining (up to ${settings.drainTimeoutS} s)…`);
      const drainCpu = measureCpu(app.pid, pgDataDir);
      result.drain = await drain(pool, {
        since: sentAt,
        timeoutMs: settings.drainTimeoutS * 1000,
        onProgress: (backlog, elapsed) =>
          log(
            `  ${Math.round(elapsed / 1000)} s: ${backlog.inbox} in the inbox, ${backlog.syncs} syncs queued or running, ${backlog.checkRuns} check runs not settled`,
          ),
      });
      result.cpuWhileDraining = drainCpu();
      if (app.exited()) result.crashed = { exit: app.exited(), tail: await app.tail(60, { problems: true }) };
      const sent = deliveries.map((delivery) => ({
        id: delivery.id,
        branch: delivery.push.branch,
        after: delivery.push.after,
      }));
      const heads: Record<string, string> = { [repo.branch]: repo.headSha };
      for (const branch of branches) heads[branch] = repo.headSha;
      for (const delivery of deliveries) heads[delivery.push.branch] = delivery.push.after;
      result.verification = await verifyRun(pool, { gitDir: repo.gitDir, sent, heads });
      const checkRunWrites = sim.recorded.filter(
        (write) =>
          write.route.includes("/check-runs") && (write.method === "POST" || write.method === "PATCH"),
      );
      const created = checkRunWrites.filter(
        (write) => write.method === "POST" && write.status === 201,
      ).length;
      const contentWrites = sim.contentWrites();
      const limit = result.verification.syncs.run + result.verification.branchesWithSyncs;
      result.checkRuns = {
        created,
        writes: checkRunWrites.length,
        refusedBySimulator: Object.values(contentWrites).reduce((sum, counts) => sum + counts.refused, 0),
        contentWrites,
        limit,
        ok: created <= limit,
      };
    }
    if (!app.exited()) result.metrics = await scrapeMetrics(app.url);
    if (result.ack.nonTwoXx > 0 || result.crashed || (result.verification && !verificationOk(result))) {
      log(
        `${scenario.name}: something went wrong; the app's warnings and errors (${logFile}) end:\n${await app.tail(40, { problems: true })}`,
      );
    }
    return result;
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${scenario.name} failed: ${result.error}`);
    if (app)
      log(`the app's warnings and errors (${logFile}) end:\n${await app.tail(40, { problems: true })}`);
    return result;
  } finally {
    result.wallS = seconds(started);
    clearInterval(sampler);
    if (app) {
      await app.stop();
      const exit = app.exited();
      if (exit && exit.code !== 0 && !result.crashed) {
        // SIGTERM with work in flight must still end cleanly (exit 0): anything else is the app's bug, reported
        result.stopFailed = { exit, tail: await app.tail(20, { problems: true }) };
        log(
          `${scenario.name}: the app exited with ${JSON.stringify(exit)} when stopped; its log ends:\n${result.stopFailed.tail}`,
        );
      }
    }
    await sim.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
  }
}

function ackFigures(
  load: LoadPlan,
  outcomes: DeliveryOutcome[],
  sendingMs: number,
  kind: Scenario["kind"],
): AckFigures {
  const byStatus: Record<string, number> = {};
  const answers: Record<string, number> = {};
  const errors = new Map<string, number>();
  const unexpected = { unique: 0, redelivery: 0 };
  let nonTwoXx = 0;
  const perSecond = new Map<number, DeliveryOutcome[]>();
  outcomes.forEach((outcome, index) => {
    byStatus[outcome.status] = (byStatus[outcome.status] ?? 0) + 1;
    const answer = outcome.answer ?? "(none)";
    answers[answer] = (answers[answer] ?? 0) + 1;
    if (outcome.status < 200 || outcome.status > 299) {
      nonTwoXx += 1;
      const key = `${outcome.status}: ${outcome.error ?? ""}`.slice(0, 200);
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
    // the baseline answers Probot's plain "ok": there is no status to compare
    if (kind === "app") {
      if (load.slots[index]?.redelivery) {
        if (!(outcome.status === 200 && outcome.answer === "duplicate")) unexpected.redelivery += 1;
      } else if (!(outcome.status === 202 && outcome.answer === "accepted")) {
        unexpected.unique += 1;
      }
    }
    const second = Math.floor(outcome.dueMs / 1000);
    const list = perSecond.get(second) ?? [];
    list.push(outcome);
    perSecond.set(second, list);
  });
  const sendingS = sendingMs / 1000;
  const steady = outcomes
    .filter((outcome) => outcome.dueMs >= WARM_UP_S * 1000)
    .map((outcome) => outcome.latencyMs);
  return {
    sent: outcomes.length,
    unique: load.uniqueCount,
    redeliveries: load.redeliveries,
    achievedRate: round(outcomes.length / (sendingS + 1 / load.rate)),
    sendingS: round(sendingS, 2),
    sendLagMs: summarize(outcomes.map((outcome) => Math.max(0, outcome.sentMs - outcome.dueMs))),
    ackMs: summarize(outcomes.map((outcome) => outcome.latencyMs)),
    ackSteadyMs: steady.length > 0 ? summarize(steady) : null,
    nonTwoXx,
    byStatus,
    answers,
    unexpectedAnswers: unexpected,
    errors: [...errors.entries()].map(([error, count]) => `${count}× ${error}`).slice(0, 10),
    timeline: [...perSecond.entries()].map(([second, list]) => {
      const latency = summarize(list.map((outcome) => outcome.latencyMs));
      return {
        second,
        sent: list.length,
        p99: latency.p99,
        max: latency.max,
        nonTwoXx: list.filter((outcome) => outcome.status < 200 || outcome.status > 299).length,
      };
    }),
  };
}

function verificationOk(result: ScenarioResult): boolean {
  const verification = result.verification;
  return Boolean(
    verification?.exactlyOnce.ok &&
      verification.memory.ok &&
      result.drain?.queueDrainedMs !== null &&
      result.checkRuns?.ok,
  );
}

type Target = { target: string; met: boolean; detail: string };

function targetsOf(result: ScenarioResult): Target[] {
  const ack = result.ack;
  const verification = result.verification;
  const targets: Target[] = [];
  const fullLoad = result.rate >= TARGET.rate && result.durationS >= TARGET.durationS;
  targets.push({
    target: `${TARGET.rate} deliveries/s for ${TARGET.durationS} s`,
    met: Boolean(fullLoad && ack && ack.achievedRate >= result.rate * 0.99 && !result.crashed),
    detail: ack
      ? `${ack.sent} sent in ${ack.sendingS} s (${ack.achievedRate}/s; configured ${result.rate}/s for ${result.durationS} s), send lag p99 ${ack.sendLagMs.p99} ms`
      : "nothing sent",
  });
  targets.push({
    target: `ack p99 ≤ ${TARGET.ackP99Ms} ms`,
    met: Boolean(ack && ack.ackMs.p99 <= TARGET.ackP99Ms),
    detail: ack
      ? `p50 ${ack.ackMs.p50} ms, p99 ${ack.ackMs.p99} ms, max ${ack.ackMs.max} ms (after the first ${WARM_UP_S} s: p99 ${ack.ackSteadyMs?.p99 ?? "-"} ms)`
      : "-",
  });
  targets.push({
    target: "zero non-2xx",
    met: Boolean(ack && ack.nonTwoXx === 0),
    detail: ack ? `${ack.nonTwoXx} non-2xx ${JSON.stringify(nonOk(ack.byStatus))}` : "-",
  });
  targets.push({
    target: "every unique delivery processed exactly once",
    met: Boolean(
      verification?.exactlyOnce.ok &&
        verification.inbox.parked === 0 &&
        result.drain?.queueDrainedMs !== null,
    ),
    detail: verification
      ? `${verification.inbox.stored}/${verification.exactlyOnce.expected} stored, ${verification.exactlyOnce.withOneSync}/${verification.exactlyOnce.expected} with exactly one sync, ${verification.inbox.parked} parked` +
        (result.drain?.queueDrainedMs === null ? ", the queue did not drain" : "")
      : "not verified",
  });
  targets.push({
    target: "memory exact on every branch",
    met: Boolean(verification?.memory.ok),
    detail: verification
      ? `${verification.memory.exact}/${verification.memory.branches} branches equal git`
      : "-",
  });
  targets.push({
    target: "check runs created ≤ syncs run + 1 per branch",
    met: Boolean(result.checkRuns?.ok),
    detail: result.checkRuns
      ? `${result.checkRuns.created} created ≤ ${verification?.syncs.run} run + ${verification?.branchesWithSyncs} branches = ${result.checkRuns.limit}; ${result.checkRuns.refusedBySimulator} refused by GitHub's limits`
      : "-",
  });
  return targets;
}

function kneeResults(): ScenarioResult[] {
  return results.filter((result) => result.name.startsWith("knee-")).sort((a, b) => a.rate - b.rate);
}

function kneeOf(runs: ScenarioResult[]) {
  const points = runs.map((run) => ({
    rate: run.rate,
    ackP50: run.ack?.ackMs.p50 ?? null,
    ackP99: run.ack?.ackMs.p99 ?? null,
    ackMax: run.ack?.ackMs.max ?? null,
    nonTwoXx: run.ack?.nonTwoXx ?? null,
    sendLagP99: run.ack?.sendLagMs.p99 ?? null,
    achievedRate: run.ack?.achievedRate ?? null,
    ackSteadyP99: run.ack?.ackSteadyMs?.p99 ?? null,
    met: Boolean(run.ack && !run.crashed && run.ack.ackMs.p99 <= TARGET.ackP99Ms && run.ack.nonTwoXx === 0),
    metSteady: Boolean(
      run.ack?.ackSteadyMs &&
        !run.crashed &&
        run.ack.ackSteadyMs.p99 <= TARGET.ackP99Ms &&
        run.ack.nonTwoXx === 0,
    ),
  }));
  const steady = points.filter((point) => point.metSteady).map((point) => point.rate);
  const passing = points.filter((point) => point.met).map((point) => point.rate);
  const failing = points.filter((point) => !point.met).map((point) => point.rate);
  return points.length === 0
    ? null
    : {
        points,
        highestRateMet: passing.length > 0 ? Math.max(...passing) : null,
        lowestRateMissed: failing.length > 0 ? Math.min(...failing) : null,
        /** the same judged on the p99 after the first WARM_UP_S seconds */
        highestRateMetSteady: steady.length > 0 ? Math.max(...steady) : null,
      };
}

function printSummary(): void {
  const lines: string[] = ["", "=== Webhook intake under load ==="];
  for (const result of results) {
    const ack = result.ack;
    lines.push(
      `${result.name.padEnd(10)} ${String(result.rate).padStart(4)}/s × ${String(result.durationS).padStart(3)} s | ` +
        (ack
          ? `sent ${ack.sent} (${ack.unique} unique) | ack p50 ${ack.ackMs.p50} p90 ${ack.ackMs.p90} p99 ${ack.ackMs.p99} max ${ack.ackMs.max} ms (after ${WARM_UP_S} s: p99 ${ack.ackSteadyMs?.p99 ?? "-"}) | non-2xx ${ack.nonTwoXx} | send lag p99 ${ack.sendLagMs.p99} ms`
          : "no load sent") +
        (result.crashed ? " | APP CRASHED" : "") +
        (result.stopFailed
          ? ` | exit ${result.stopFailed.exit?.code ?? result.stopFailed.exit?.signal} on SIGTERM`
          : "") +
        (result.error ? " | ERROR" : ""),
    );
    const cpu = result.cpuWhileSending;
    if (cpu) {
      lines.push(
        `${"".padEnd(10)} while sending: ${cpu.machineBusyPct} % of ${cpu.cores} cores busy; CPU s: app ${cpu.appS}, postgres ${cpu.postgresS}, bench+simulator ${cpu.benchS}, other ${cpu.otherS} (of ${cpu.wallS} s); sender thread (nice ${result.sender?.priority}) event loop delay p99 ${result.sender?.eventLoopDelayMs.p99} ms${result.sender?.lateHeadMoves ? `, ${result.sender.lateHeadMoves} branch heads moved after their push was due` : ""}`,
      );
    }
    if (ack && (ack.unexpectedAnswers.unique > 0 || ack.unexpectedAnswers.redelivery > 0)) {
      lines.push(
        `${"".padEnd(10)} answers ${JSON.stringify(ack.answers)}: ${ack.unexpectedAnswers.unique} first deliveries not 202 accepted, ${ack.unexpectedAnswers.redelivery} redeliveries not 200 duplicate (a redelivery that overtakes its slow original is accepted, and the original is then the duplicate)`,
      );
    }
  }
  if (main?.verification) {
    const v = main.verification;
    const drained = main.drain;
    lines.push(
      "",
      "--- main run, after the drain ---",
      `drain: queue empty ${drained?.queueDrainedMs === null ? `NOT within ${settings.drainTimeoutS} s` : `${round((drained?.queueDrainedMs ?? 0) / 1000)} s`} after the last send; ` +
        `check runs settled ${drained?.checkRunsSettledMs === null ? `NOT within ${settings.drainTimeoutS} s (left: ${JSON.stringify(drained?.backlog)})` : `${round((drained?.checkRunsSettledMs ?? 0) / 1000)} s`} after it`,
      `deliveries: sent ${main.ack?.sent}, unique ${v.exactlyOnce.expected}, stored ${v.inbox.stored} (inbox rows ${v.inbox.rows}: ${JSON.stringify(v.inbox.byStatus)}), parked ${v.inbox.parked}`,
      `inbox processing: ${v.inbox.processing.throughputPerS} deliveries/s; backlog at most ${v.inbox.processing.maxBacklog} (${v.inbox.processing.maxBacklogAtS} s after the first); receipt → processed p50 ${v.inbox.processing.waitMs.p50} ms, p99 ${v.inbox.processing.waitMs.p99} ms, max ${v.inbox.processing.waitMs.max} ms`,
      `exactly once: ${v.exactlyOnce.withOneSync}/${v.exactlyOnce.expected} unique deliveries have exactly one sync${v.exactlyOnce.missing.length ? `; missing e.g. ${v.exactlyOnce.missing.join(", ")}` : ""}`,
      `syncs: ${v.syncs.total} rows ${JSON.stringify(v.syncs.byStatus)}; run ${v.syncs.run} (succeeded ${v.syncs.succeeded}, failed ${v.syncs.failed}); superseded before running ${v.syncs.supersededBeforeRunning}; stale late deliveries ${v.syncs.staleLateDeliveries}`,
      ...(v.syncs.failed > 0 ? [`failures: ${JSON.stringify(v.syncs.failures)}`] : []),
      `syncs run: ${v.syncs.run}, each ran p50 ${v.syncs.runMs.p50} ms, p95 ${v.syncs.runMs.p95} ms, max ${v.syncs.runMs.max} ms after waiting queued p50 ${v.syncs.queuedMs.p50} ms, p95 ${v.syncs.queuedMs.p95} ms`,
      `push → memory: p50 ${v.pushToMemoryMs.p50} ms, p95 ${v.pushToMemoryMs.p95} ms, p99 ${v.pushToMemoryMs.p99} ms, max ${v.pushToMemoryMs.max} ms (${v.pushToMemoryMs.count} pushes${v.pushToMemoryMs.unreached ? `, ${v.pushToMemoryMs.unreached} never reached` : ""})`,
      `memory vs git: ${v.memory.exact}/${v.memory.branches} branches exact at their final head` +
        (v.memory.differences.length
          ? `; differences: ${JSON.stringify(v.memory.differences.slice(0, 3))}`
          : "") +
        (v.memory.notAtHead.length
          ? `; last sync not at the head: ${JSON.stringify(v.memory.notAtHead.slice(0, 3))}`
          : ""),
    );
    if (main.checkRuns) {
      const writes = Object.entries(main.checkRuns.contentWrites)
        .map(
          ([installation, counts]) =>
            `installation ${installation}: ${counts.total} writes, max ${counts.maxPerMinute}/min, ${counts.maxPerHour}/h, refused ${counts.refused}`,
        )
        .join("; ");
      lines.push(
        `check runs: ${main.checkRuns.created} created, ${main.checkRuns.writes} check-run writes; ${writes || "no content writes"} (GitHub: ${SECONDARY_LIMITS.perMinute}/min, ${SECONDARY_LIMITS.perHour}/h)`,
      );
    }
    if (main.metrics) lines.push(`/metrics: ${JSON.stringify(main.metrics)}`);
  }
  if (comparison) {
    lines.push(
      "",
      `--- acknowledgement: ours vs baseline (Probot middleware runs the handlers before answering), ${settings.rate}/s ---`,
      `ours     (${main?.durationS} s): p50 ${comparison.ours.p50} ms, p99 ${comparison.ours.p99} ms, max ${comparison.ours.max} ms, non-2xx ${comparison.ours.nonTwoXx}`,
      `baseline (${baseline?.durationS} s): p50 ${comparison.baseline.p50} ms, p99 ${comparison.baseline.p99} ms, max ${comparison.baseline.max} ms, non-2xx ${comparison.baseline.nonTwoXx}`,
      `baseline / ours: p50 ${times(comparison.p50Ratio)}, p99 ${times(comparison.p99Ratio)}, max ${times(comparison.maxRatio)}` +
        (baseline?.ack && baseline.ack.ackMs.p99 >= 10_000
          ? " (the baseline's figures stop at GitHub's 10 s timeout: the true ratios are larger)"
          : ""),
    );
  }
  if (knee) {
    lines.push("", `--- knee (${settings.kneeDurationS} s per rate, fresh database and app each) ---`);
    for (const point of knee.points) {
      lines.push(
        `${String(point.rate).padStart(4)}/s: ack p99 ${point.ackP99} ms (p50 ${point.ackP50}, max ${point.ackMax}; after ${WARM_UP_S} s p99 ${point.ackSteadyP99 ?? "-"}), non-2xx ${point.nonTwoXx}, send lag p99 ${point.sendLagP99} ms  ${point.met ? "ok" : "MISSED"}`,
      );
    }
    lines.push(
      `highest rate with p99 ≤ ${TARGET.ackP99Ms} ms and zero non-2xx: ${knee.highestRateMet === null ? "none" : `${knee.highestRateMet}/s`}` +
        (knee.lowestRateMissed !== null ? ` (first missed at ${knee.lowestRateMissed}/s)` : ""),
      `  judged on the p99 after the first ${WARM_UP_S} s: ${knee.highestRateMetSteady === null ? "none" : `${knee.highestRateMetSteady}/s`}`,
    );
  }
  const shared = results.filter(
    (result) => result.cpuWhileSending && result.cpuWhileSending.otherS > 0.25 * result.cpuWhileSending.wallS,
  );
  if (shared.length > 0) {
    lines.push(
      "",
      `NOTE: other processes on this machine used more than a quarter of a core while ${shared.map((result) => result.name).join(", ")} sent (see "other" above): those latencies are pessimistic; run again on an idle machine to be sure.`,
    );
  }
  if (targets.length > 0) {
    lines.push("", "--- targets ---");
    for (const target of targets) {
      lines.push(`[${target.met ? "met" : "NOT MET"}] ${target.target.padEnd(48)} ${target.detail}`);
    }
  }
  lines.push("", `total ${timings.totalS} s (${JSON.stringify(timings)})`);
  log(lines.join("\n"));
}

function describe(result: ScenarioResult): string {
  const ack = result.ack;
  return `${result.name}: ${ack ? `ack p50 ${ack.ackMs.p50} / p99 ${ack.ackMs.p99} / max ${ack.ackMs.max} ms, non-2xx ${ack.nonTwoXx}` : "no load sent"}${
    result.error ? ", ERROR" : ""
  }${result.crashed ? ", APP CRASHED" : ""} (${result.wallS} s)`;
}

function times(value: number | null): string {
  return value === null ? "-" : `${value}×`;
}

function pick(ack: AckFigures) {
  return { p50: ack.ackMs.p50, p99: ack.ackMs.p99, max: ack.ackMs.max, nonTwoXx: ack.nonTwoXx };
}

function nonOk(byStatus: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(byStatus).filter(([status]) => !/^2\d\d$/.test(status)));
}

/** how many times the baseline's figure is ours (null when ours is 0) */
function ratio(baselineValue: number, oursValue: number): number | null {
  return oursValue > 0 ? round(baselineValue / oursValue, 2) : null;
}

function plan(rate: number, durationS: number): LoadPlan {
  return planLoad({ rate, durationS, redeliveryShare: settings.redeliveryShare, seed: settings.seed });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Lays the results out the way the repository's formatter (biome) does, so `npm run lint` passes on them; skipped
 * when biome is not installed (production dependencies only).
 */
function formatJson(file: string): void {
  const biome = path.join(import.meta.dirname, "..", "..", "node_modules", ".bin", "biome");
  if (!existsSync(biome)) return;
  const formatted = spawnSync(biome, ["format", "--write", file], { stdio: "ignore" });
  if (formatted.status !== 0) log(`(biome could not format ${file}: exit ${formatted.status})`);
}

function positive(name: string): number {
  const value = Number(values[name as keyof typeof values]);
  if (!(value > 0)) fail(`--${name} must be a positive number`);
  return value;
}

function seconds(since: number): number {
  return round((performance.now() - since) / 1000);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
