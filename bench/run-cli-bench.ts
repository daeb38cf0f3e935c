// `npm run bench:cli [-- --runs 10] [-- --embedded-runs 5] [-- --no-build] [-- --compare-bin <bin>]`: how long the
// `project-sync` command takes to print, as a user starts it. Each case is a fresh process timed from spawn to its
// first byte on stdout (and the CPU it had used by then), run round-robin (so a busy machine weighs on every case
// alike) beside two floors: `node -e` (Node's own start) and a plain `pg` query (Node + a connection + one SELECT,
// what `status` cannot go below). Cases: `--help` and `status <sync-id>` through the compiled bin (dist, as
// installed) and through tsx (`npm run cli`), against a PostgreSQL given by DATABASE_URL (else one started here);
// `--compare-bin` adds another build's bin (an older commit's, say); then `status` with DATABASE_URL unset, where the
// CLI starts and stops an embedded PostgreSQL itself. Results: bench/results/<time>-cli.json and a table on stdout.
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations } from "../src/db/apply-migrations.js";
import { createPrismaClient } from "../src/db/create-prisma-client.js";
import { startEmbeddedPostgres } from "../src/db/start-embedded-postgres.js";
import { timeFirstOutput } from "./cli/time-first-output.js";
import { round, type Summary, summarize } from "./load/stats.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10" },
    "embedded-runs": { type: "string", default: "5" },
    "no-build": { type: "boolean", default: false },
    /** another build's bin to time beside this one, e.g. an older commit's (`git archive`, then tsc) */
    "compare-bin": { type: "string" },
  },
});
const runs = Number(values.runs);
const embeddedRuns = Number(values["embedded-runs"]);
const repoRoot = path.resolve(import.meta.dirname, "..");
const log = (message: string) => process.stderr.write(`${message}\n`);

type Case = {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  expect: string;
  /** false: the work happens in a child process (tsx's CLI), whose CPU is not the spawned process's */
  cpu?: boolean;
};
type Row = {
  name: string;
  runs: number;
  firstOutput: Summary;
  firstOutputCpu: Summary | null;
  exit: Summary;
};

if (!values["no-build"]) {
  log("building dist (npm run build) ...");
  execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
}

const root = await mkdtemp(path.join(os.tmpdir(), "project-sync-cli-bench-"));
await chmod(root, 0o755); // as root, PostgreSQL runs as the OS user "postgres", who must reach its folder
const started = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
const databaseUrl = process.env.DATABASE_URL ?? started?.url ?? "";
try {
  const syncId = await seedSync(databaseUrl);
  const rows = await measure([...mainCases(databaseUrl, syncId), ...compareCases(databaseUrl, syncId)], runs);
  rows.push(...(await measure([embeddedCase(root, syncId)], embeddedRuns)));
  printTable(rows);
  const resultsDir = path.join(repoRoot, "bench", "results");
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${new Date().toISOString().replaceAll(/[:.]/g, "-")}-cli.json`);
  const machine = {
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((value) => round(value, 2)),
    node: process.version,
  };
  await writeFile(file, `${JSON.stringify({ runs, embeddedRuns, machine, rows }, null, 2)}\n`);
  log(`results: ${path.relative(repoRoot, file)}`);
} finally {
  await started?.stop();
  await rm(root, { recursive: true, force: true });
}

/** A migrated database with one finished sync for `status` to print. */
async function seedSync(url: string): Promise<string> {
  await applyMigrations(url);
  const db = createPrismaClient(url);
  try {
    const repository = await db.repository.upsert({
      where: { key: "bench/cli" },
      create: { key: "bench/cli", owner: "bench", name: "cli", defaultBranch: "main" },
      update: {},
    });
    const now = new Date();
    const sync = await db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "main",
        trigger: "manual",
        status: "succeeded",
        headSha: "a".repeat(40),
        added: 10,
        startedAt: now,
        finishedAt: now,
      },
    });
    return sync.id;
  } finally {
    await db.$disconnect();
  }
}

function mainCases(url: string, syncId: string): Case[] {
  const node = process.execPath;
  const bin = path.join(repoRoot, "bin", "project-sync.js");
  const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
  const source = path.join(repoRoot, "src", "cli", "main.ts");
  const env = { ...process.env, DATABASE_URL: url };
  const pgQuery =
    'const {default:pg}=await import("pg");const c=new pg.Client({connectionString:process.env.DATABASE_URL});' +
    'await c.connect();const r=await c.query(`SELECT id FROM "ProjectSync" WHERE id=$1`,[process.argv[1]]);' +
    "process.stdout.write(r.rows[0].id+'\\n');await c.end()";
  return [
    {
      name: "floor: node -e (Node's start)",
      command: node,
      args: ["-e", "process.stdout.write('x\\n')"],
      env,
      expect: "x",
    },
    {
      name: "floor: node + pg, one SELECT",
      command: node,
      args: ["--input-type=module", "-e", pgQuery, syncId],
      env,
      expect: syncId,
    },
    { name: "--help, compiled bin", command: node, args: [bin, "--help"], env, expect: "Usage:" },
    {
      name: "--help, tsx (npm run cli)",
      command: tsx,
      args: [source, "--help"],
      env,
      expect: "Usage:",
      cpu: false,
    },
    { name: "status, compiled bin", command: node, args: [bin, "status", syncId], env, expect: syncId },
    {
      name: "status, tsx (npm run cli)",
      command: tsx,
      args: [source, "status", syncId],
      env,
      expect: syncId,
      cpu: false,
    },
  ];
}

function compareCases(url: string, syncId: string): Case[] {
  const bin = values["compare-bin"];
  if (!bin) return [];
  const env = { ...process.env, DATABASE_URL: url };
  const label = path.basename(path.dirname(path.dirname(path.resolve(bin))));
  return [
    {
      name: `--help, compiled bin of ${label}`,
      command: process.execPath,
      args: [bin, "--help"],
      env,
      expect: "Usage:",
    },
    {
      name: `status, compiled bin of ${label}`,
      command: process.execPath,
      args: [bin, "status", syncId],
      env,
      expect: syncId,
    },
  ];
}

/** `status` with DATABASE_URL unset: each run starts (and stops) the embedded PostgreSQL; the first one initialises it. */
function embeddedCase(dir: string, syncId: string): Case {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMBEDDED_POSTGRES_DIR: path.join(dir, "embedded"),
    EMBEDDED_POSTGRES_PORT: "0",
  };
  delete env.DATABASE_URL;
  // the sync lives in the other database: a not-found answer still goes through start, migrate and a query
  return {
    name: "status, compiled bin, embedded PostgreSQL",
    command: process.execPath,
    args: [path.join(repoRoot, "bin", "project-sync.js"), "status", syncId, "--json"],
    env,
    expect: "NOT_FOUND",
  };
}

async function measure(cases: Case[], count: number): Promise<Row[]> {
  const samples = cases.map(() => ({ first: [] as number[], cpu: [] as number[], exit: [] as number[] }));
  // one warm-up round (disk cache, the embedded cluster's initdb), not counted
  for (let run = 0; run <= count; run++) {
    for (const [index, item] of cases.entries()) {
      const timing = await timeFirstOutput(item.command, item.args, { cwd: repoRoot, env: item.env });
      if (!timing.stdout.includes(item.expect)) {
        throw new Error(
          `${item.name}: exit ${timing.code}, stdout ${timing.stdout.slice(0, 500)} stderr ${timing.stderr.slice(0, 500)}`,
        );
      }
      if (run === 0) continue;
      samples[index]?.first.push(timing.firstOutputMs);
      samples[index]?.cpu.push(timing.firstOutputCpuMs);
      samples[index]?.exit.push(timing.exitMs);
    }
    log(`round ${run}/${count} done`);
  }
  return cases.map((item, index) => ({
    name: item.name,
    runs: count,
    firstOutput: summarize(samples[index]?.first ?? []),
    firstOutputCpu: item.cpu === false ? null : summarize(samples[index]?.cpu ?? []),
    exit: summarize(samples[index]?.exit ?? []),
  }));
}

function printTable(rows: Row[]): void {
  const width = Math.max(...rows.map((row) => row.name.length));
  const pair = (summary: Summary | null) =>
    summary ? `${Math.round(summary.p50)} / ${Math.round(summary.p95)}` : "—";
  console.log(
    `${"case".padEnd(width)}  runs  first output p50 / p95 ms  its CPU p50 / p95 ms  exit p50 / p95 ms`,
  );
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(width)}  ${String(row.runs).padStart(4)}  ${pair(row.firstOutput).padStart(24)}  ` +
        `${pair(row.firstOutputCpu).padStart(19)}  ${pair(row.exit).padStart(17)}`,
    );
  }
}
