import { isAppError } from "../errors.js";
import { type Output, OutputClosedError } from "./create-output.js";
import type { StderrDisplay } from "./create-stderr-display.js";
import { printable } from "./format-text.js";
import { ReportedInJsonError } from "./write-json-list.js";

export type ReportCliErrorOptions = {
  out: Output;
  display: StderrDisplay;
  json: boolean;
  /** an error in the command line itself: exit 2 and a pointer to the help */
  usage: boolean;
  /** print the stack of unexpected errors (env DEBUG) */
  debug: boolean;
};

/**
 * `error: <message>` on stderr (and with --json `{ "error": { code, message } }` on stdout); returns the exit code:
 * 2 for usage errors, 1 for everything else.
 */
export async function reportCliError(error: unknown, options: ReportCliErrorOptions): Promise<number> {
  const { out, display } = options;
  display.clearStatus();
  // The reader of stdout went away (`| head`): it has all it wanted.
  if (error instanceof OutputClosedError) return 0;
  const alreadyInJson = error instanceof ReportedInJsonError;
  const cause = alreadyInJson ? error.error : error;
  const known = isAppError(cause);
  const code = known ? cause.code : "INTERNAL";
  const message =
    cause instanceof Error ? cause.message || cause.name : `unexpected failure (${String(cause)} was thrown)`;

  display.line(`error: ${printable(message)}`);
  if (options.usage) display.line('Run "project-sync help" for usage.');
  if (!known) {
    display.line(
      options.debug && cause instanceof Error && cause.stack
        ? cause.stack
        : "This is unexpected; run again with DEBUG=1 to see where it happened.",
    );
  }
  if (options.json && !alreadyInJson) {
    await out.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`).catch(() => undefined);
  }
  return options.usage ? 2 : 1;
}
