#!/usr/bin/env node
// The installed `project-sync` command: the compiled CLI after `npm run build`, otherwise the TypeScript source via tsx.
import { existsSync } from "node:fs";

const built = new URL("../dist/cli/main.js", import.meta.url);

if (existsSync(built)) {
  await import(built.href);
} else {
  const { tsImport } = await import("tsx/esm/api");
  await tsImport("../src/cli/main.ts", import.meta.url);
}
