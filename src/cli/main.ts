import { setFlagsFromString } from "node:v8";
import { exitWhenFlushed } from "./exit-when-flushed.js";
import { runCli } from "./run-cli.js";

// Prisma compiles each query with a WebAssembly module. V8 first runs it with its baseline compiler (Liftoff) and
// recompiles hot functions with TurboFan on other threads, which pays off in a long process but, in a command that
// makes a few queries, only doubles the CPU of the first one (~700 → ~330 ms here). The commands that run a sync
// (long, many queries) keep the default. Must run before the module is compiled, i.e. before the first query.
const command = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
if (!["sync", "restore"].includes(command ?? "")) setFlagsFromString("--liftoff-only");

exitWhenFlushed(
  await runCli(process.argv.slice(2), {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  }),
);
