#!/usr/bin/env node
// The installed `project-sync` command: the compiled CLI in dist/ (built by `npm ci`/`npm install` through the
// `prepare` script, or `npm run build`), otherwise the TypeScript source through tsx, which compiles it at every
// start (seconds instead of a fraction of one: BENCHMARKS.md, CLI start). stdout stays the command's own.
import { existsSync } from "node:fs";

const built = new URL("../dist/cli/main.js", import.meta.url);

if (existsSync(built)) {
  await import(built.href);
} else {
  // Said on a terminal only: a script reading stderr (or a client of `mcp` over stdio) gets nothing extra.
  if (process.stderr.isTTY) {
    process.stderr.write(
      "project-sync: dist/ is not built, running the TypeScript source (slow start; npm run build)\n",
    );
  }
  const { tsImport } = await import("tsx/esm/api");
  await tsImport("../src/cli/main.ts", import.meta.url);
}
