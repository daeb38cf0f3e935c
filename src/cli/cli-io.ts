import type { Db } from "../db/create-prisma-client.js";
import type { ServiceDeps } from "../service/service-deps.js";

/** What the CLI writes to: process.stdout/stderr, or an in-memory buffer in tests. */
export type CliStream = {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** terminal width, when a terminal */
  columns?: number;
  once?(event: "drain", listener: () => void): unknown;
  on?(event: "error", listener: (error: Error) => void): unknown;
};

/** Replacements for what runCli otherwise builds from the environment (tests: their database and nock'd Octokit). */
export type CliDepsOverrides = {
  connect?: () => Promise<{ db: Db; close: () => Promise<void> }>;
  githubFor?: ServiceDeps["githubFor"];
  now?: () => Date;
};

export type CliIo = {
  env: NodeJS.ProcessEnv;
  /** what `project-sync mcp` reads the protocol from (process.stdin) */
  stdin?: NodeJS.ReadableStream;
  stdout: CliStream;
  stderr: CliStream;
  deps?: CliDepsOverrides;
};
