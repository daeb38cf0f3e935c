// `npm run bench [-- --quick] [-- --sizes 1000,10000]`: the engine against the seed's design on the same simulator,
// side by side, on generated repositories. Results: bench/results/<time>-<mode>.json and a table on stdout.
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createGitHubSimulator, type SimulatorStats } from "../sim/create-github-simulator.js";
import { commitChanges, generateRepository } from "../sim/generate-repository.js";
import { applyMigrations } from "../src/db/apply-migrations.js";
import { createPrismaClient } from "../src/db/create-prisma-client.js";
import { startEmbeddedPostgres } from "../src/db/start-embedded-postgres.js";
import { createOctokit } from "../src/github/create-octokit.js";
import { ensureRepository } from "../src/service/find-repository.js";
import { copyMemory, mix } from "./copy-memory.js";
import { machineInfo } from "./machine-info.js";
import type { ScenarioMeasurement } from "./run-scenario.js";

const ALL_IMPLS = ["ours", "baseline"] as const;
const MAX_FILE_SIZE_BYTES = 1024 * 1024;
// The archive download is not a REST or GraphQL call: it does not count against the installation's rate limit.
const NOT_API = (route: string) => route.includes("_codeload");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    // caps V8's heap in the measured processes: a sync that completes under the cap proves its live memory fits it
    "heap-mb": { type: "string" },
    // e.g. "300,1000": only these pushes after the first sync (no force push, no new branch)
    pushes: { type: "string" },
    // "ours" skips the seed's design
    impls: { type: "string" },
    // a folder: each measured process writes a V8 CPU profile there (.cpuprofile, open in Chrome DevTools)
    "cpu-prof": { type: "string" },
    // a PostgreSQL server to measure on instead of the embedded one (e.g. one built with lz4): the bench makes a
    // database of its own there and drops it at the end
    "database-url": { type: "string" },
  },
});
const quick = values.quick === true;
const sizes = (values.sizes ?? (quick ? "1000" : "1000,10000,100000")).split(",").map(Number);
const onlyPushes = values.pushes !== undefined;
const pushes = onlyPushes
  ? (values.pushes ?? "").split(",").map(Number)
  : quick
    ? [1, 10, 300]
    : [1, 10, 300, 1000];
const IMPLS = ALL_IMPLS.filter((impl) => !values.impls || values.impls.split(",").includes(impl));
const baselineBudgetMs = quick ? 30_000 : 90_000;

type Row = ScenarioMeasurement & {
  size: number;
  scenario: string;
  apiRequests: number;
  requests: Record<string, number>;
  bytes: number;
};

const root = await mkdtemp(path.join(os.tmpdir(), "project-sync-bench-"));
await chmod(root, 0o755); // as root, PostgreSQL runs as the OS user "postgres", who must reach its folder
const postgres = values["database-url"]
  ? await useServer(values["database-url"])
  : await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
const sim = createGitHubSimulator();
const rows: Row[] = [];
try {
  await applyMigrations(postgres.url);
  const db = createPrismaClient(postgres.url);
  const address = await sim.start();
  const octokit = createOctokit({ auth: "ghs_bench", baseUrl: address.apiUrl });
  const deps = { db, githubFor: async () => octokit };

  for (const size of sizes) {
    const generatedAt = performance.now();
    const generated = await generateRepository({
      dir: path.join(root, `repo-${size}`),
      files: size,
      seed: size,
    });
    log(`generated ${size} files in ${Math.round(performance.now() - generatedAt)} ms`);
    const repositoryIds: Record<string, string> = {};
    for (const impl of IMPLS) {
      await sim.addRepository({ owner: "bench", name: `${impl}-${size}`, gitDir: generated.gitDir });
      repositoryIds[impl] = (await ensureRepository(deps, `bench/${impl}-${size}`)).id;
    }

    const run = async (scenario: string, branch: string, headSha: string) => {
      const line: Partial<Record<(typeof ALL_IMPLS)[number], Row>> = {};
      for (const impl of IMPLS) {
        sim.setBranch("bench", `${impl}-${size}`, branch, headSha);
        sim.resetStats();
        if (scenario === "first sync") await sim.prepareTarball("bench", `${impl}-${size}`, headSha);
        const measurement = await measure({
          impl,
          databaseUrl: postgres.url,
          apiUrl: address.apiUrl,
          repositoryId: repositoryIds[impl] as string,
          branch,
          headSha,
          maxFileSizeBytes: MAX_FILE_SIZE_BYTES,
          baselineBudgetMs,
        });
        const stats = sim.stats();
        const row = { size, scenario, ...measurement, ...requestsOf(stats) };
        rows.push(row);
        line[impl] = row;
      }
      if (line.baseline?.partial && line.ours) {
        // The baseline ran out of time: give it the engine's finished memory so the next scenarios start equal.
        await copyMemory(db, {
          from: repositoryIds.ours as string,
          to: repositoryIds.baseline as string,
          branch,
        });
      }
      log(formatLine(line.ours as Row, line.baseline));
    };

    await run("first sync", "main", generated.headSha);
    let head = generated.headSha;
    for (const k of pushes.filter((count) => count < size / 2)) {
      head = await commitChanges({ gitDir: generated.gitDir, parent: head, changes: mix(k), seed: k });
      await run(`push k=${k}`, "main", head);
    }
    if (onlyPushes) continue;
    const forced = await commitChanges({
      gitDir: generated.gitDir,
      parent: generated.headSha,
      changes: mix(20),
      seed: 7,
    });
    await run("force push", "main", forced);
    const feature = await commitChanges({
      gitDir: generated.gitDir,
      parent: forced,
      changes: mix(10),
      seed: 11,
    });
    await run("new branch", "feature/bench", feature);
  }
  await db.$disconnect();
} finally {
  await sim.stop();
  await postgres.stop();
  await rm(root, { recursive: true, force: true });
}

const resultsDir = path.join(import.meta.dirname, "results");
await mkdir(resultsDir, { recursive: true });
const file = path.join(
  resultsDir,
  `${new Date().toISOString().replace(/[:.]/g, "-")}-${quick ? "quick" : "full"}.json`,
);
const machine = machineInfo();
const settings = {
  heapMb: values["heap-mb"] ? Number(values["heap-mb"]) : null,
  baselineBudgetMs,
  server: "server" in postgres ? postgres.server : "embedded",
};
await writeFile(
  file,
  `${JSON.stringify({ mode: quick ? "quick" : "full", machine, settings, rows }, null, 2)}\n`,
);
log(`results: ${path.relative(process.cwd(), file)}`);
const failed = rows.filter((row) => row.impl === "ours" && row.status !== "succeeded");
if (failed.length > 0) {
  log(
    `engine syncs that did not succeed: ${failed.map((row) => `N=${row.size} ${row.scenario}: ${row.status}`).join("; ")}`,
  );
  process.exitCode = 1;
}

/** A database of the bench's own on the given server, with what the results must say of that server. */
async function useServer(serverUrl: string) {
  const database = `project_sync_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const { rows } = await admin.query<{ version: string; compression: string }>(
    "SELECT version(), (SELECT enumvals::text FROM pg_settings WHERE name = 'default_toast_compression') AS compression",
  );
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    server: { version: rows[0]?.version ?? "?", toastCompressions: rows[0]?.compression ?? "?" },
    async stop() {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

function requestsOf(stats: SimulatorStats) {
  const requests = Object.fromEntries(Object.entries(stats.requests).filter(([, count]) => count > 0));
  const apiRequests = Object.entries(requests)
    .filter(([route]) => !NOT_API(route))
    .reduce((sum, [, count]) => sum + count, 0);
  return { requests, apiRequests, bytes: stats.totalBytes };
}

async function measure(input: Record<string, unknown>): Promise<ScenarioMeasurement> {
  const heap = values["heap-mb"] ? [`--max-old-space-size=${values["heap-mb"]}`] : [];
  const profile = values["cpu-prof"]
    ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values["cpu-prof"])}`]
    : [];
  const child = spawn(
    process.execPath,
    [
      ...heap,
      ...profile,
      "--import",
      "tsx",
      path.join(import.meta.dirname, "run-scenario.ts"),
      JSON.stringify(input),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`scenario process exited with ${code}: ${output}`);
  return JSON.parse(output.trim().split("\n").at(-1) as string) as ScenarioMeasurement;
}

function formatLine(ours: Row, baseline: Row | undefined): string {
  const ownLine = [
    `N=${ours.size} ${ours.scenario.padEnd(12)}`,
    `ours ${ours.wallMs} ms, ${ours.apiRequests} req ${JSON.stringify(ours.requests)}, ${ours.bytes} B, ${ours.rowsWritten} rows, ${ours.peakRssMb} MB, [${ours.status}]`,
    Object.entries(ours.phases)
      .map(([phase, ms]) => `${phase} ${ms}`)
      .join(" "),
  ];
  if (!baseline) return ownLine.join(" | ");
  const speed = baseline.partial
    ? `≥${(baseline.wallMs / ours.wallMs).toFixed(1)}× (baseline stopped at ${baseline.partial.processed}/${baseline.partial.total})`
    : `${(baseline.wallMs / ours.wallMs).toFixed(1)}×`;
  return [
    `N=${ours.size} ${ours.scenario.padEnd(12)}`,
    `ours ${ours.wallMs} ms, ${ours.apiRequests} req, ${ours.rowsWritten} rows, ${ours.peakRssMb} MB`,
    `baseline ${baseline.wallMs} ms, ${baseline.apiRequests} req, ${baseline.rowsWritten} rows, ${baseline.peakRssMb} MB`,
    `speed ${speed}, requests ${ratio(baseline.apiRequests, ours.apiRequests)}, [${ours.status}]`,
    Object.entries(ours.phases)
      .map(([phase, ms]) => `${phase} ${ms}`)
      .join(" "),
  ].join(" | ");
}

function ratio(baseline: number, ours: number): string {
  return ours === 0 ? `${baseline} vs 0` : `${(baseline / ours).toFixed(1)}× fewer`;
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
