/**
 * How long a hostile `.github/project-sync.yml` can hold the process: 20 valid globs `*a*a…*[bc]` (up to 90 stars)
 * against 3,000 root paths of 192 characters (whoever can push to a repository writes its config). Reports, for our
 * matcher (compileGlobs): the first and a second pass over the paths, the time per path, and — for the filter run as
 * a sync runs it (createYielder) — the longest stretch the event loop was blocked. As baseline in the same run, Node's
 * own `path.matchesGlob` (minimatch's backtracking regular expressions) on growing star counts, one call per worker,
 * until a call outlasts its budget.
 *
 * Run: npx tsx bench/measure-globs.ts [--paths 3000] [--baseline-budget-ms 5000]
 */
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { compileGlobs } from "../src/glob/compile-globs.js";
import { createYielder } from "../src/sync/create-yielder.js";
import { round, summarize } from "./load/stats.js";

const { values } = parseArgs({
  options: {
    paths: { type: "string", default: "3000" },
    "baseline-budget-ms": { type: "string", default: "5000" },
  },
});
const pathCount = Number(values.paths);
const baselineBudgetMs = Number(values["baseline-budget-ms"]);

const globs = Array.from({ length: 20 }, (_, index) => `${"*a".repeat(90 - index)}*[bc]`);
const paths = Array.from({ length: pathCount }, (_, index) => `${"a".repeat(190)}${index % 10}x`);

function timePass(match: (path: string) => boolean): {
  totalMs: number;
  perPathMs: number[];
  matched: number;
} {
  const perPathMs: number[] = [];
  let matched = 0;
  const started = performance.now();
  for (const path of paths) {
    const before = performance.now();
    if (match(path)) matched++;
    perPathMs.push(performance.now() - before);
  }
  return { totalMs: performance.now() - started, perPathMs, matched };
}

/** The filter as a sync runs it: awaiting a yielder in the loop, while a timer measures how late the loop answers. */
async function longestBlockMs(match: (path: string) => boolean): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const pause = createYielder();
  for (const path of paths) {
    await pause();
    match(path);
  }
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  return longest;
}

const compileStarted = performance.now();
const ours = compileGlobs(globs);
const compileMs = performance.now() - compileStarted;
const first = timePass(ours);
const second = timePass(ours);
const fresh = compileGlobs(globs);
const blockedMs = await longestBlockMs(fresh);

// The baseline backtracks exponentially in the number of `*`: one call on the hostile sizes does not return in minutes,
// and a running regular expression cannot be interrupted. So it runs in a worker thread, one glob against one 40-character
// path, with `*a` repeated k = 2, 3, … times, until one call outlasts its budget and the worker is terminated.
function baselineCallMs(stars: number, budgetMs: number): Promise<number | undefined> {
  const source = `
    const { matchesGlob } = require("node:path");
    const { parentPort, workerData } = require("node:worker_threads");
    const started = performance.now();
    matchesGlob("a".repeat(38) + "1x", "*a".repeat(workerData) + "*[bc]");
    parentPort.postMessage(performance.now() - started);`;
  const worker = new Worker(source, { eval: true, workerData: stars, stderr: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => void worker.terminate().then(() => resolve(undefined)), budgetMs);
    worker.once("message", (ms: number) => {
      clearTimeout(timer);
      void worker.terminate().then(() => resolve(ms));
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

const growth: Array<{ stars: number; baselineMs: number | null; oursMs: number }> = [];
for (let stars = 2; stars <= 90; stars++) {
  const glob = `${"*a".repeat(stars)}*[bc]`;
  const path = `${"a".repeat(38)}1x`;
  const oursStarted = performance.now();
  compileGlobs([glob])(path);
  const oursMs = performance.now() - oursStarted;
  const baselineMs = await baselineCallMs(stars, baselineBudgetMs);
  growth.push({
    stars,
    baselineMs: baselineMs === undefined ? null : round(baselineMs),
    oursMs: round(oursMs),
  });
  if (baselineMs === undefined) break;
}
const lastBaseline = growth.at(-1);

const report = {
  globs: globs.length,
  paths: paths.length,
  pathLength: paths[0]?.length,
  ours: {
    compileMs: round(compileMs),
    firstPassMs: round(first.totalMs),
    secondPassMs: round(second.totalMs),
    perPathMs: summarize(first.perPathMs),
    longestEventLoopBlockMs: round(blockedMs),
    matched: first.matched,
  },
  baseline: {
    name: "node:path matchesGlob (minimatch), one glob against one 40-character path, in a worker",
    budgetMsPerCall: baselineBudgetMs,
    growth,
  },
};
console.log(JSON.stringify(report, null, 2));
console.log(
  `${globs.length} hostile globs × ${paths.length} paths of ${paths[0]?.length} characters: ours ` +
    `${round(first.totalMs)} ms first pass (${round(second.totalMs)} ms again), event loop blocked ≤ ` +
    `${round(blockedMs)} ms. Baseline, one glob of k stars against one 40-character path: ` +
    growth
      .map(
        (row) =>
          `k=${row.stars} ${row.baselineMs === null ? `> ${baselineBudgetMs} ms` : `${row.baselineMs} ms`}`,
      )
      .join(", ") +
    ` (ours ≤ ${Math.max(...growth.map((row) => row.oursMs))} ms each); the hostile config has k up to 90` +
    (lastBaseline?.baselineMs === null ? "." : ", and the baseline never passed its budget."),
);
