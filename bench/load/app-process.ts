import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { findFreePort } from "../../src/db/start-embedded-postgres.js";

export type AppProcess = {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** where its stdout and stderr go */
  logFile: string;
  /** null while it runs; its exit code (or signal) once it ended */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** SIGTERM, then SIGKILL after `graceMs` (default 20 s); resolves once it has exited */
  stop(graceMs?: number): Promise<void>;
  /** the last `lines` lines of its log; `problems`: only warnings, errors and stack traces (no info lines) */
  tail(lines?: number, options?: { problems?: boolean }): Promise<string>;
};

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const running = new Set<ChildProcess>();

// A bench that dies (an exception, a signal) must not leave an app behind on its port.
process.once("exit", killAppProcesses);

/** Kills every app process still running (SIGKILL): for a bench that is being interrupted. */
export function killAppProcesses(): void {
  for (const child of running) child.kill("SIGKILL");
}

/**
 * Runs a TypeScript entry point of this repository (`src/main.ts`: what `npm start` runs, through tsx) as a child
 * process on a free port of 127.0.0.1, its output in `logFile`, and waits until `readyPath` answers 200.
 * @example const app = await startAppProcess({ entry: "src/main.ts", env, logFile }); ...; await app.stop();
 */
export async function startAppProcess(options: {
  entry: string;
  env: Record<string, string>;
  logFile: string;
  readyPath?: string;
  readyTimeoutMs?: number;
}): Promise<AppProcess> {
  const port = await findFreePort();
  const log = openSync(options.logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", options.entry], {
    cwd: ROOT,
    env: { ...baseEnv(), ...options.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  running.add(child);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    url,
    pid: child.pid ?? 0,
    logFile: options.logFile,
    exited: () => exit,
    async stop(graceMs = 20_000) {
      if (exit) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(killer);
    },
    tail: (lines = 40, tailOptions = {}) => tailFile(options.logFile, lines, tailOptions.problems ?? false),
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exit) {
      throw new Error(
        `${options.entry} exited (${JSON.stringify(exit)}) before it was ready; its log (${options.logFile}) ends:\n${await app.tail()}`,
      );
    }
    try {
      const response = await fetch(`${url}${options.readyPath ?? "/readyz"}`, {
        signal: AbortSignal.timeout(2000),
      });
      await response.arrayBuffer();
      if (response.status === 200) return app;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await app.stop(5000);
      throw new Error(
        `${options.entry} was not ready after ${options.readyTimeoutMs ?? 120_000} ms; its log ends:\n${await app.tail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The environment a child gets from ours: only what running node needs, so no app setting leaks in unnoticed. */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "USER", "NODE_EXTRA_CA_CERTS"];
  return Object.fromEntries(
    keep.flatMap((name) => (process.env[name] !== undefined ? [[name, process.env[name] as string]] : [])),
  );
}

async function tailFile(file: string, lines: number, problems: boolean): Promise<string> {
  try {
    const all = (await readFile(file, "utf8")).split("\n");
    // the app logs one info line per queued sync: under load they would bury what went wrong
    const kept = problems ? all.filter((line) => !line.startsWith("info ")) : all;
    const tail = kept
      .slice(-lines - 1)
      .join("\n")
      .trim();
    return tail === "" ? `(no ${problems ? "warnings or errors" : "output"} in ${all.length} lines)` : tail;
  } catch {
    return "(no log)";
  }
}
