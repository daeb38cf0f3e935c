/**
 * `npm run demo`: the app against a local GitHub simulator, no GitHub account needed.
 *
 *   npm run demo [-- --files 3000] [--latency 50] [--port 3000] [--pause 4000] [--keep-data]
 *
 * Generates a repository, serves it from the simulator, starts the app (its own embedded PostgreSQL in
 * .data/demo-postgres, emptied at each start unless --keep-data), lets the start-up reconcile sync the default
 * branch, pushes a few commits through signed webhooks, prints a line per completed check run, and runs until Ctrl-C.
 * It also prints the command lines with which the CLI reads the same memory while the demo runs.
 */
import { parseArgs } from "node:util";
import type { Logger } from "../src/logger.js";
import { cliHint } from "./cli-hint.js";
import { ensureDemoDataFree } from "./ensure-demo-data-free.js";
import { pushDemoCommits } from "./push-demo-commits.js";
import { startDemoStack } from "./start-demo-stack.js";
import { waitForIdle } from "./wait-for-idle.js";
import { watchCheckRuns } from "./watch-check-runs.js";

const POSTGRES_DIR = ".data/demo-postgres";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "3000" },
    latency: { type: "string", default: "50" },
    port: { type: "string", default: "3000" },
    pause: { type: "string", default: "4000" },
    "keep-data": { type: "boolean", default: false },
  },
});

const say = (line: string) => process.stdout.write(`${line}\n`);
// The app's own warnings and errors only: the demo narrates the rest.
const log: Logger = {
  debug() {},
  info() {},
  warn: (message) => process.stderr.write(`app warn: ${message}\n`),
  error: (message) => process.stderr.write(`app error: ${message}\n`),
};

await ensureDemoDataFree(POSTGRES_DIR, { keep: values["keep-data"] });
say(`Project Sync demo: generating a repository of ${values.files} files and starting the app…`);
const stack = await startDemoStack({
  files: Number(values.files),
  latencyMs: Number(values.latency),
  port: Number(values.port),
  postgresDir: POSTGRES_DIR,
  log,
});
const stopWatching = watchCheckRuns({
  sim: stack.sim,
  apiUrl: stack.simApiUrl,
  owner: stack.owner,
  name: stack.name,
  onCompleted: (run) =>
    say(
      `  check run ${run.id} on ${run.headSha.slice(0, 7)}: ${run.conclusion} — ${run.title ?? ""}${run.detailsUrl ? ` (${run.detailsUrl})` : ""}`,
    ),
});

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(1); // a second Ctrl-C: do not wait
  stopping = true;
  say("\nStopping…");
  stopWatching();
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

say(
  `GitHub simulator: ${stack.simApiUrl} serving ${stack.owner}/${stack.name} (${values.latency} ms per request)`,
);
say(`\n  Status page: ${stack.url}\n`);
say(
  cliHint({ postgresDir: POSTGRES_DIR, owner: stack.owner, name: stack.name, branch: stack.defaultBranch }),
);
say(`The app found its installation and is syncing ${stack.defaultBranch}…`);
await waitForIdle({ appUrl: stack.url, owner: stack.owner, name: stack.name, minSyncs: 1 });
await pushDemoCommits(stack, { pauseMs: Number(values.pause), say });
say(`\nDone pushing. Open ${stack.url} and try Sync, Full resync and Restore. Ctrl-C stops the demo.`);
