import { loadEnv } from "../config/env.js";
import { requireGitHub } from "../github/require-github.js";
import type { Logger } from "../logger.js";
import { parseRepositoryName } from "../service/parse-repository-name.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { CliIo } from "./cli-io.js";
import type { CommandContext } from "./commands/command-context.js";
import { loadCommandHandler, type RunnableCommand } from "./commands/command-handlers.js";
import { createLazyClientFactory } from "./create-lazy-client-factory.js";
import { createOutput, type Output } from "./create-output.js";
import { createCliLogger, createStderrDisplay, type StderrDisplay } from "./create-stderr-display.js";
import { type CliCommand, parseCliArgs } from "./parse-cli-args.js";
import { reportCliError } from "./report-cli-error.js";
import { USAGE } from "./usage.js";

export type { CliIo } from "./cli-io.js";

/**
 * The `project-sync` command line: parses argv, runs the command over the services, prints its result; resolves to
 * the exit code (0 done, 1 failed, 2 usage error). Never throws.
 * @example process.exitCode = await runCli(["history", "octocat/hello-world", "--json"], { env, stdout, stderr })
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const display = createStderrDisplay(io.stderr);
  const out = createOutput(io.stdout);
  const debug = Boolean(io.env.DEBUG);
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    return reportCliError(error, { out, display, json: argv.includes("--json"), usage: true, debug });
  }
  if (command.name === "help") return printUsage(command, { out, io });
  try {
    return await runCommand(command, { io, out, display, debug });
  } catch (error) {
    return reportCliError(error, { out, display, json: command.json, usage: false, debug });
  }
}

async function printUsage(
  command: Extract<CliCommand, { name: "help" }>,
  { out, io }: { out: Output; io: CliIo },
): Promise<number> {
  if (!command.requested) {
    io.stderr.write(USAGE);
    if (command.json) {
      await out.write(
        `${JSON.stringify({ error: { code: "BAD_INPUT", message: "no command given." } }, null, 2)}\n`,
      );
    }
    return 2;
  }
  await out.write(command.json ? `${JSON.stringify({ usage: USAGE })}\n` : USAGE);
  return 0;
}

// What a command needs beyond parsing (its handler, the database, Octokit) is imported here, when it runs, so that
// `--help` loads none of it and each command only its own part (see BENCHMARKS.md, CLI start).
async function runCommand(
  command: RunnableCommand,
  options: { io: CliIo; out: Output; display: StderrDisplay; debug: boolean },
): Promise<number> {
  const { io, out, display } = options;
  const env = loadEnv(io.env);
  const log = createCliLogger(display, { level: options.debug ? "debug" : env.LOG_LEVEL });
  const githubFor = io.deps?.githubFor ?? createLazyClientFactory(env, { log: octokitLog(log) });
  // Before the database: starting an embedded PostgreSQL takes seconds, and the sync could not run anyway.
  if (command.name === "sync") await requireCredentials(githubFor, command.repository);

  const handler = await loadCommandHandler(command);
  const { openServiceDeps } = await import("./open-service-deps.js");
  const { deps, databaseUrl, close } = await openServiceDeps({ env, log, githubFor, overrides: io.deps });
  try {
    const context: CommandContext = {
      deps,
      out,
      display,
      json: command.json,
      io,
      databaseUrl,
      allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    };
    return await handler(context, command);
  } finally {
    await close();
  }
}

async function requireCredentials(githubFor: ServiceDeps["githubFor"], repository: string): Promise<void> {
  requireGitHub(await githubFor(parseRepositoryName(repository)));
}

// Octokit logs every request at info and every failed one at error; the CLI reports failures itself, so both are
// debug here. Only the message is passed on: Octokit's second argument holds the request headers, token included.
function octokitLog(log: Logger) {
  return {
    debug: () => undefined,
    info: (message: string) => log.debug(message),
    warn: (message: string) => log.warn(message),
    error: (message: string) => log.debug(message),
  };
}
