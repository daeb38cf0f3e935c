import type { ServiceDeps } from "../../service/service-deps.js";
import type { Output } from "../create-output.js";
import type { StderrDisplay } from "../create-stderr-display.js";

/** What every command runs with: the services' deps, stdout, stderr, and whether to print JSON. */
export type CommandContext = {
  deps: ServiceDeps;
  out: Output;
  display: StderrDisplay;
  json: boolean;
};
