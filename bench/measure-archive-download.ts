// `npx tsx bench/measure-archive-download.ts [--files 100000] [--pause-ms 300]`: a first sync's archive read as the
// sync reads it (fetchRepoArchive: download, gunzip, tar, hash), from the simulator streaming `git archive` as it goes
// (as codeload does: no prepared file, no length), with the consumer pausing `pause-ms` per yielded batch (~4 MB) the
// way the sync's database writes do. Prints files, batches, the pauses' total and the time; `--git-dir` reuses a
// generated repository.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createGitHubSimulator } from "../sim/create-github-simulator.js";
import { generateRepository } from "../sim/generate-repository.js";
import { listTree } from "../sim/git/list-tree.js";
import { gitText } from "../sim/git/run-git.js";
import { createOctokit } from "../src/github/create-octokit.js";
import { fetchRepoArchive } from "../src/github/fetch-repo-archive.js";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "100000" },
    "pause-ms": { type: "string", default: "300" },
    "git-dir": { type: "string" },
  },
});
const pauseMs = Number(values["pause-ms"]);
const root = await mkdtemp(path.join(os.tmpdir(), "project-sync-archive-"));
const sim = createGitHubSimulator();
try {
  const gitDir =
    values["git-dir"] ??
    (await generateRepository({ dir: path.join(root, "repo"), files: Number(values.files), seed: 1 })).gitDir;
  const head = (await gitText(gitDir, ["rev-parse", "HEAD"])).trim();
  await sim.addRepository({ owner: "bench", name: "archive", gitDir });
  const address = await sim.start();
  const entries = await listTree({ gitDir, treeish: head, recursive: true, sizes: false });
  const wanted = new Map(
    entries
      .filter((entry) => entry.type === "blob")
      .map((entry) => [entry.path, { sha: entry.sha, mode: entry.mode }]),
  );
  const client = createOctokit({ auth: "ghs_bench", baseUrl: address.apiUrl });
  const started = performance.now();
  let files = 0;
  let batches = 0;
  const archive = fetchRepoArchive({
    client,
    owner: "bench",
    repo: "archive",
    ref: head,
    wanted,
    maxFileSizeBytes: 1 << 20,
  });
  for (;;) {
    const step = await archive.next();
    if (step.done) break;
    files += step.value.length;
    batches += 1;
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  const ms = Math.round(performance.now() - started);
  const paused = batches * pauseMs;
  process.stdout.write(
    `${JSON.stringify({ files, batches, pauseMs, pausedMs: paused, ms, readingMs: ms - paused, loadAverage: os.loadavg() })}\n`,
  );
} finally {
  await sim.stop();
  await rm(root, { recursive: true, force: true });
}
