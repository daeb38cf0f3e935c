import type { Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { readVersion } from "../../app/read-version.js";
import { waitForShutdownSignal } from "../../app/wait-for-shutdown-signal.js";
import { createAccessGate } from "../../auth/create-access-gate.js";
import { createSyncEventHub } from "../../events/sync-event-hub.js";
import { createMcpServer } from "../../mcp/create-mcp-server.js";
import { createMemoryChangeFeed } from "../../mcp/memory-change-feed.js";
import type { CliIo } from "../cli-io.js";
import type { CommandContext } from "./command-context.js";

/**
 * `mcp`: the MCP server over stdio for a local agent, on the CLI's database, until stdin ends or a signal. stdout is
 * the protocol's channel: logs go to stderr, and so does anything that would print with console.log. Resource
 * subscriptions hear of syncs run by any process through the database's notifications.
 */
export async function runMcpCommand(
  context: CommandContext,
  options: { io: CliIo; databaseUrl: string | null },
): Promise<number> {
  const { deps } = context;
  const restoreConsole = consoleToStderr();
  const hub = options.databaseUrl
    ? createSyncEventHub({ databaseUrl: options.databaseUrl, log: deps.log })
    : null;
  await hub?.start();
  const feed = hub ? createMemoryChangeFeed({ db: deps.db, hub, log: deps.log }) : null;
  // stdio is this machine's own user: the local principal, all access (as the CLI's other commands)
  const gate = createAccessGate({ db: deps.db }, { kind: "local" });
  const { server, close } = createMcpServer({ service: deps, feed, version: readVersion(), gate });
  const stdin = options.io.stdin ?? process.stdin;
  const ended = new Promise<void>((resolve) => {
    stdin.once("end", () => resolve());
    stdin.once("close", () => resolve());
    server.server.onclose = () => resolve();
  });
  // The CLI's stdout stream is process.stdout here (tests spawn the command): the transport needs its Writable.
  await server.connect(
    new StdioServerTransport(stdin as NodeJS.ReadStream, options.io.stdout as unknown as Writable),
  );
  deps.log.info("MCP server on stdio: waiting for a client (stdin).");
  await Promise.race([ended, waitForShutdownSignal(deps.log, 10_000)]);
  await close();
  feed?.stop();
  await hub?.stop();
  restoreConsole();
  return 0;
}

function consoleToStderr(): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  return () => Object.assign(console, saved);
}
