import { loadEnv } from "../config/env.js";
import { createClientFactory } from "../github/create-client-factory.js";
import { requireGitHub } from "../github/require-github.js";
import type { Logger } from "../logger.js";
import { parseRepositoryName } from "../service/parse-repository-name.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { CliIo } from "./cli-io.js";
import type { CommandContext } from "./commands/command-context.js";
import { runDeliveriesCommand, runRetryCommand } from "./commands/run-deliveries-command.js";
import { runDiffCommand } from "./commands/run-diff-command.js";
import { runHistoryCommand } from "./commands/run-history-command.js";
import { runMcpCommand } from "./commands/run-mcp-command.js";
import { runMemoryCommand } from "./commands/run-memory-command.js";
import { runPurgeCommand } from "./commands/run-purge-command.js";
import { runRestoreCommand } from "./commands/run-restore-command.js";
import { runSearchCommand } from "./commands/run-search-command.js";
import { runShowCommand } from "./commands/run-show-command.js";
import { runStatusCommand } from "./commands/run-status-command.js";
import { runSyncCommand } from "./commands/run-sync-command.js";
import { runWebhooksCommand } from "./commands/run-webhooks-command.js";
import { createOutput, type Output } from "./create-output.js";
import { createCliLogger, createStderrDisplay, type StderrDisplay } from "./create-stderr-display.js";
import { openServiceDeps } from "./open-service-deps.js";
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

async function runCommand(
  command: Exclude<CliCommand, { name: "help" }>,
  options: { io: CliIo; out: Output; display: StderrDisplay; debug: boolean },
): Promise<number> {
  const { io, out, display } = options;
  const env = loadEnv(io.env);
  const log = createCliLogger(display, { level: options.debug ? "debug" : env.LOG_LEVEL });
  const githubFor = io.deps?.githubFor ?? createClientFactory(env, { log: octokitLog(log) });
  // Before the database: starting an embedded PostgreSQL takes seconds, and the sync could not run anyway.
  if (command.name === "sync") await requireCredentials(githubFor, command.repository);

  const { deps, databaseUrl, close } = await openServiceDeps({ env, log, githubFor, overrides: io.deps });
  try {
    const context: CommandContext = { deps, out, display, json: command.json };
    switch (command.name) {
      case "sync":
        return await runSyncCommand(context, command);
      case "status":
        return await runStatusCommand(context, command);
      case "history":
        return await runHistoryCommand(context, command);
      case "memory":
        return await runMemoryCommand(context, command);
      case "restore":
        return await runRestoreCommand(context, command);
      case "purge":
        return await runPurgeCommand(context, command);
      case "deliveries":
        return await runDeliveriesCommand(context, command);
      case "retry":
        return await runRetryCommand(context, command);
      case "search":
        return await runSearchCommand(context, command);
      case "diff":
        return await runDiffCommand(context, command);
      case "show":
        return await runShowCommand(context, command);
      case "webhooks":
        return await runWebhooksCommand(context, command, {
          allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
        });
      case "mcp":
        return await runMcpCommand(context, { io, databaseUrl });
    }
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
