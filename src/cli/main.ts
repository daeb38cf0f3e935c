import { exitWhenFlushed } from "./exit-when-flushed.js";
import { runCli } from "./run-cli.js";

exitWhenFlushed(
  await runCli(process.argv.slice(2), {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  }),
);
