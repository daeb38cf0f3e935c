import type { CliCommand } from "../parse-cli-args.js";
import type { CommandContext } from "./command-context.js";

/** Every command but `help`, which needs neither the database nor GitHub. */
export type RunnableCommand = Exclude<CliCommand, { name: "help" }>;

type Handler<C> = (context: CommandContext, command: C) => Promise<number>;

/**
 * Each command's handler, imported only when that command runs: a command's module pulls in its services (the sync
 * engine, search, diff, the inbox), and loading them all would slow every start, `--help` and `status` included.
 */
export const COMMAND_HANDLERS: {
  [N in RunnableCommand["name"]]: () => Promise<Handler<Extract<RunnableCommand, { name: N }>>>;
} = {
  sync: async () => (await import("./run-sync-command.js")).runSyncCommand,
  status: async () => (await import("./run-status-command.js")).runStatusCommand,
  history: async () => (await import("./run-history-command.js")).runHistoryCommand,
  memory: async () => (await import("./run-memory-command.js")).runMemoryCommand,
  restore: async () => (await import("./run-restore-command.js")).runRestoreCommand,
  purge: async () => (await import("./run-purge-command.js")).runPurgeCommand,
  deliveries: async () => (await import("./run-deliveries-command.js")).runDeliveriesCommand,
  retry: async () => (await import("./run-deliveries-command.js")).runRetryCommand,
  search: async () => (await import("./run-search-command.js")).runSearchCommand,
  diff: async () => (await import("./run-diff-command.js")).runDiffCommand,
  show: async () => (await import("./run-show-command.js")).runShowCommand,
  webhooks: async () => {
    const { runWebhooksCommand } = await import("./run-webhooks-command.js");
    return (context, command) =>
      runWebhooksCommand(context, command, { allowPrivateTargets: context.allowPrivateTargets });
  },
  users: async () => (await import("./run-users-command.js")).runUsersCommand,
  mcp: async () => {
    const { runMcpCommand } = await import("./run-mcp-command.js");
    return (context, _command) =>
      runMcpCommand(context, { io: context.io, databaseUrl: context.databaseUrl });
  },
};

/** The command's handler, loaded. */
export async function loadCommandHandler(command: RunnableCommand): Promise<Handler<RunnableCommand>> {
  // The mapped type above pairs each name with its own command's handler; indexing by a union loses that pairing.
  return (await COMMAND_HANDLERS[command.name]()) as Handler<RunnableCommand>;
}
