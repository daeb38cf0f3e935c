/**
 * Serves a generated (or existing bare) repository from the GitHub simulator until interrupted, and prints the
 * environment that points the app at it.
 *
 *   npx tsx sim/start-simulator.ts [--files 10000] [--seed 1] [--owner sim] [--name demo] [--port 0]
 *                                  [--latency 0] [--dir <where to generate>] [--git-dir <existing bare repo>]
 *
 * Without --dir the repository is generated in a temporary folder that is removed on exit.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createGitHubSimulator } from "./create-github-simulator.js";
import { generateRepository } from "./generate-repository.js";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "10000" },
    seed: { type: "string", default: "1" },
    owner: { type: "string", default: "sim" },
    name: { type: "string", default: "demo" },
    port: { type: "string", default: "0" },
    latency: { type: "string", default: "0" },
    dir: { type: "string" },
    "git-dir": { type: "string" },
  },
});

const temporary =
  values.dir || values["git-dir"] ? undefined : await mkdtemp(join(tmpdir(), "github-simulator-"));
let gitDir = values["git-dir"];
if (!gitDir) {
  const started = performance.now();
  const generated = await generateRepository({
    dir: values.dir ?? join(temporary as string, `${values.name}.git`),
    files: Number(values.files),
    seed: Number(values.seed),
  });
  gitDir = generated.gitDir;
  process.stderr.write(
    `generated ${generated.paths.length} files in ${Math.round(performance.now() - started)} ms: ${gitDir} (head ${generated.headSha})\n`,
  );
}

const sim = createGitHubSimulator({ port: Number(values.port), latencyMs: Number(values.latency) });
const repository = await sim.addRepository({ owner: values.owner, name: values.name, gitDir });
const { ghe, apiUrl } = await sim.start();
process.stdout.write(
  [
    `# GitHub simulator serving ${repository.fullName} (branches: ${Object.keys(repository.branches).join(", ")})`,
    `# REST ${apiUrl}`,
    `GHE_HOST=${ghe.GHE_HOST}`,
    `GHE_PROTOCOL=${ghe.GHE_PROTOCOL}`,
    "GITHUB_TOKEN=ghs_simulator",
    "",
  ].join("\n"),
);

const shutdown = async () => {
  await sim.stop();
  if (temporary) await rm(temporary, { recursive: true, force: true });
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
