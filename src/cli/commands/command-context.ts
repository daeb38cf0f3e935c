import type { ServiceDeps } from "../../service/service-deps.js";
import type { CliIo } from "../cli-io.js";
import type { Output } from "../create-output.js";
import type { StderrDisplay } from "../create-stderr-display.js";

/** What every command runs with: the services' deps, stdout, stderr, and whether to print JSON. */
export type CommandContext = {
  deps: ServiceDeps;
  out: Output;
  display: StderrDisplay;
  json: boolean;
  /** what a few commands need beyond the services: the process's streams (`mcp`), the database's URL to listen on
   * (`mcp`; null for a client passed in by tests), and whether webhook endpoints may be private (`webhooks`) */
  io: CliIo;
  databaseUrl: string | null;
  allowPrivateTargets: boolean;
};
