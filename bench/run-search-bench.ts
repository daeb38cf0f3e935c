// `npm run bench:search [-- --files 100000] [-- --quick] [-- --reps 3]`: search over memory on a generated repository,
// against `git grep` at the same commits. One run: generate, sync the head, index (timed), 3 pushes of ~100 files each
// synced, then literal / regex / case-insensitive queries picked from the generated text, at the head and as of the
// oldest sync. Results: bench/results/<time>-search.json and a table on stdout. Exits non-zero if a query throws.
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createGitHubSimulator } from "../sim/create-github-simulator.js";
import { commitChanges, generateRepository } from "../sim/generate-repository.js";
import { applyMigrations } from "../src/db/apply-migrations.js";
import { createPrismaClient, type Db } from "../src/db/create-prisma-client.js";
import { startEmbeddedPostgres } from "../src/db/start-embedded-postgres.js";
import type { Repository } from "../src/generated/prisma/client.js";
import { createOctokit } from "../src/github/create-octokit.js";
import { silentLogger } from "../src/logger.js";
import { createSearchIndexer } from "../src/search/create-search-indexer.js";
import { executeSync } from "../src/service/execute-sync.js";
import { ensureRepository } from "../src/service/find-repository.js";
import { requestInlineSync } from "../src/service/request-inline-sync.js";
import { searchMemory } from "../src/service/search-memory.js";
import { machineInfo } from "./machine-info.js";
import { type BenchQuery, pickSearchQueries } from "./search-queries.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    files: { type: "string" },
    reps: { type: "string" },
    "git-reps": { type: "string" },
  },
});
const quick = values.quick === true;
const files = Number(values.files ?? (quick ? 2000 : 100_000));
const reps = Number(values.reps ?? 3);
const gitReps = Number(values["git-reps"] ?? (files > 20_000 ? 1 : 3));
const PUSHES = 3;
const CHANGES = { modify: 80, add: 10, remove: 5, rename: 5 };

type Scope = "head" | "as-of";
type QueryRow = BenchQuery & {
  scope: Scope;
  oursMs: number[];
  oursElapsedMs: number[];
  partial: number;
  method: string;
  results: number;
  gitMs: number[];
  gitFiles: number;
  gitLines: number;
};
type SyncRow = { name: string; wallMs: number; status: string; counts: Record<string, number> };

const root = await mkdtemp(path.join(os.tmpdir(), "project-sync-search-bench-"));
await chmod(root, 0o755); // as root, PostgreSQL runs as the OS user "postgres", who must reach its folder
const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
const sim = createGitHubSimulator();
const syncs: SyncRow[] = [];
const rows: QueryRow[] = [];
let indexing: Record<string, number> = {};
let generatedMs = 0;
let failure: unknown = null;
try {
  await applyMigrations(postgres.url);
  const db = createPrismaClient(postgres.url);
  const address = await sim.start();
  const octokit = createOctokit({ auth: "ghs_bench", baseUrl: address.apiUrl });
  const deps = {
    db,
    githubFor: async () => octokit,
    now: () => new Date(),
    log: silentLogger,
    maxFileSizeBytes: 1024 * 1024,
  };
  const t0 = performance.now();
  const generated = await generateRepository({ dir: path.join(root, "repo"), files, seed: files });
  generatedMs = Math.round(performance.now() - t0);
  log(`generated ${files} files in ${generatedMs} ms`);
  await sim.addRepository({ owner: "bench", name: "search", gitDir: generated.gitDir });
  const repository = await ensureRepository(deps, "bench/search");
  const sync = async (name: string, headSha: string): Promise<string> => {
    sim.setBranch("bench", "search", "main", headSha);
    const queued = await requestInlineSync(deps, { repository, branch: "main", headSha, trigger: "push" });
    const started = performance.now();
    const result = await executeSync(deps, { syncId: queued.id });
    const row = {
      name,
      wallMs: Math.round(performance.now() - started),
      status: result.status,
      counts: result.counts,
    };
    syncs.push(row);
    log(`${name}: ${row.status} in ${row.wallMs} ms ${JSON.stringify(row.counts)}`);
    if (result.status !== "succeeded") throw new Error(`${name} did not succeed: ${result.status}`);
    return result.id;
  };

  await sim.prepareTarball("bench", "search", generated.headSha);
  const oldestSyncId = await sync("first sync", generated.headSha);
  indexing = await measureIndexing(db);
  log(`indexer catch-up: ${JSON.stringify(indexing)}`);
  let head = generated.headSha;
  for (let push = 1; push <= PUSHES; push++) {
    head = await commitChanges({ gitDir: generated.gitDir, parent: head, changes: CHANGES, seed: push });
    await sync(`push ${push}`, head);
  }
  const afterPushes = performance.now();
  const pushBlobs = await createSearchIndexer({ db, log: silentLogger }).drain();
  indexing.pushBlobsIndexed = pushBlobs;
  indexing.pushIndexMs = Math.round(performance.now() - afterPushes);

  const queries = pickSearchQueries({ seed: files, files });
  const commits: Record<Scope, string> = { head, "as-of": generated.headSha };
  for (const scope of ["head", "as-of"] as const) {
    for (const query of queries) {
      const asOfSyncId = scope === "as-of" ? oldestSyncId : undefined;
      const row = await measureQuery(db, repository, query, scope, asOfSyncId);
      Object.assign(row, await measureGitGrep(generated.gitDir, commits[scope], query));
      rows.push(row);
      log(formatQuery(row));
    }
  }
  await db.$disconnect();
} catch (error) {
  failure = error;
} finally {
  await sim.stop();
  await postgres.stop();
  await rm(root, { recursive: true, force: true });
}
if (failure) {
  process.stderr.write(
    `search benchmark failed: ${failure instanceof Error ? failure.stack : String(failure)}\n`,
  );
  process.exit(1);
}

const summary = summarize(rows);
const resultsDir = path.join(import.meta.dirname, "results");
await mkdir(resultsDir, { recursive: true });
const file = path.join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, "-")}-search.json`);
const machine = machineInfo();
const settings = { files, quick, reps, gitReps, pushes: PUSHES, changesPerPush: CHANGES };
await writeFile(
  file,
  `${JSON.stringify({ mode: "search", machine, settings, generatedMs, syncs, indexing, summary, rows }, null, 2)}\n`,
);
printTable(summary);
log(`results: ${path.relative(process.cwd(), file)}`);

/** The indexer's catch-up after the first sync, timed apart from the sync, and the index's size against the text. */
async function measureIndexing(db: Db): Promise<Record<string, number>> {
  const started = performance.now();
  const blobsIndexed = await createSearchIndexer({ db, log: silentLogger }).drain();
  const indexMs = Math.round(performance.now() - started);
  const [sizes] = await db.$queryRawUnsafe<{ index: bigint; text: bigint; table: bigint }[]>(
    `SELECT pg_relation_size('"RepositoryFile_content_trgm"') AS index,
            (SELECT coalesce(sum(octet_length(content)), 0) FROM "RepositoryFile") AS text,
            pg_total_relation_size('"RepositoryFile"') AS table`,
  );
  const indexBytes = Number(sizes?.index ?? 0);
  const textBytes = Number(sizes?.text ?? 0);
  return {
    blobsIndexed,
    indexMs,
    blobsPerSecond: Math.round(blobsIndexed / (indexMs / 1000)),
    indexBytes,
    textBytes,
    indexPercentOfText: Math.round((1000 * indexBytes) / Math.max(1, textBytes)) / 10,
    tableBytesWithToastAndIndexes: Number(sizes?.table ?? 0),
  };
}

async function measureQuery(
  db: Db,
  repository: Repository,
  query: BenchQuery,
  scope: Scope,
  asOfSyncId: string | undefined,
): Promise<QueryRow> {
  const row: QueryRow = {
    ...query,
    scope,
    oursMs: [],
    oursElapsedMs: [],
    partial: 0,
    method: "",
    results: 0,
    gitMs: [],
    gitFiles: 0,
    gitLines: 0,
  };
  for (let rep = 0; rep < reps; rep++) {
    const started = performance.now();
    const page = await searchMemory(
      { db },
      {
        repository,
        query: query.query,
        regex: query.regex,
        caseSensitive: query.caseSensitive,
        branch: "main",
        ...(asOfSyncId ? { asOfSyncId } : {}),
      },
    );
    row.oursMs.push(Math.round(performance.now() - started));
    row.oursElapsedMs.push(page.elapsedMs);
    if (page.partial) row.partial += 1;
    row.method = page.method;
    row.results = page.results.length;
  }
  return row;
}

/** `git grep` over the whole tree of `commit`, output streamed and counted (lines, distinct files), not kept. */
async function measureGitGrep(
  gitDir: string,
  commit: string,
  query: BenchQuery,
): Promise<Pick<QueryRow, "gitMs" | "gitFiles" | "gitLines">> {
  const flags = ["-I", "-n", "-z", query.regex ? "-E" : "-F", ...(query.caseSensitive ? [] : ["-i"])];
  const gitMs: number[] = [];
  let counted = { files: 0, lines: 0 };
  for (let rep = 0; rep < gitReps; rep++) {
    const started = performance.now();
    counted = await gitGrep(["--git-dir", gitDir, "grep", ...flags, "-e", query.query, commit]);
    gitMs.push(Math.round(performance.now() - started));
  }
  return { gitMs, gitFiles: counted.files, gitLines: counted.lines };
}

function gitGrep(args: string[]): Promise<{ files: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { stdio: ["ignore", "pipe", "pipe"] });
    let lines = 0;
    let files = 0;
    let previous = "";
    let rest = Buffer.alloc(0);
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let end = data.indexOf(10, start); end >= 0; end = data.indexOf(10, start)) {
        // -z: "<commit>:<path>\0<line number>\0<text>\n"
        const nul = data.indexOf(0, start);
        const name = data.toString("utf8", start, nul >= 0 && nul < end ? nul : end);
        if (name !== previous) files += 1;
        previous = name;
        lines += 1;
        start = end + 1;
      }
      rest = Buffer.from(data.subarray(start));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      // 1: nothing matched
      if (code === 0 || code === 1) resolve({ files, lines });
      else reject(new Error(`git grep exited with ${code}: ${stderr.trim()}`));
    });
  });
}

type ClassSummary = {
  class: string;
  queries: number;
  samples: number;
  p50: number;
  p95: number;
  max: number;
  partialRuns: number;
  gitP50: number;
  gitP95: number;
  speedup: number;
};

function summarize(all: QueryRow[]): ClassSummary[] {
  const groups: [string, QueryRow[]][] = [
    ["literal", all.filter((row) => row.scope === "head" && row.class === "literal")],
    ["regex", all.filter((row) => row.scope === "head" && row.class === "regex")],
    ["case-insensitive", all.filter((row) => row.scope === "head" && row.class === "case-insensitive")],
    ["as-of (all kinds)", all.filter((row) => row.scope === "as-of")],
    ["all at head", all.filter((row) => row.scope === "head")],
  ];
  return groups.map(([name, group]) => {
    const ours = group.flatMap((row) => row.oursMs);
    const git = group.flatMap((row) => row.gitMs);
    const p50 = percentile(ours, 50);
    const gitP50 = percentile(git, 50);
    return {
      class: name,
      queries: group.length,
      samples: ours.length,
      p50,
      p95: percentile(ours, 95),
      max: Math.max(0, ...ours),
      partialRuns: group.reduce((sum, row) => sum + row.partial, 0),
      gitP50,
      gitP95: percentile(git, 95),
      speedup: Math.round((10 * gitP50) / Math.max(1, p50)) / 10,
    };
  });
}

/** Nearest rank. */
function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function formatQuery(row: QueryRow): string {
  const query = JSON.stringify(row.query);
  return [
    `${row.scope.padEnd(5)} ${row.class.padEnd(16)} ${row.kind.padEnd(9)} ${query.slice(0, 48).padEnd(48)}`,
    `ours ${row.oursMs.join("/")} ms ${row.method} ${row.results} results${row.partial ? ` PARTIAL×${row.partial}` : ""}`,
    `git grep ${row.gitMs.join("/")} ms ${row.gitFiles} files ${row.gitLines} lines`,
  ].join(" | ");
}

function printTable(summary: ClassSummary[]): void {
  log("");
  log(
    `Search, ${files} files; indexer catch-up ${indexing.blobsIndexed} blobs in ${((indexing.indexMs ?? 0) / 1000).toFixed(1)} s; ` +
      `index ${mb(indexing.indexBytes)} MB = ${indexing.indexPercentOfText} % of ${mb(indexing.textBytes)} MB text`,
  );
  log(`syncs: ${syncs.map((row) => `${row.name} ${(row.wallMs / 1000).toFixed(1)} s`).join(", ")}`);
  const header = [
    "class",
    "queries",
    "runs",
    "p50 ms",
    "p95 ms",
    "max ms",
    "partial",
    "git p50",
    "git p95",
    "×",
  ];
  const lines = summary.map((row) => [
    row.class,
    row.queries,
    row.samples,
    row.p50,
    row.p95,
    row.max,
    row.partialRuns,
    row.gitP50,
    row.gitP95,
    `${row.speedup}×`,
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => String(line[i]).length)),
  );
  const format = (cells: unknown[]) =>
    cells.map((cell, i) =>
      i === 0 ? String(cell).padEnd(widths[i] ?? 0) : String(cell).padStart(widths[i] ?? 0),
    );
  log(format(header).join("  "));
  for (const line of lines) log(format(line).join("  "));
}

function mb(bytes: number | undefined): string {
  return ((bytes ?? 0) / 2 ** 20).toFixed(1);
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
