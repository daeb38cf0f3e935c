import { type ChildProcess, spawn } from "node:child_process";

/** The real app in a process of its own (test/events/app-process.ts), as `npm start` runs it. */
export type ChildApp = {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then the exit code */
  stop: () => Promise<number | null>;
  /** SIGKILL: the process dies at once, mid-work, as in a crash or an OOM kill */
  kill: () => Promise<void>;
  /** what the process wrote on stderr so far */
  stderr: () => string;
};

/** Starts the app with `env` (its whole configuration); resolves once it listens. */
export function spawnApp(env: Record<string, string>): Promise<ChildApp> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/events/app-process.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const ready = /^ready (\S+)\n/.exec(stdout);
      if (ready?.[1]) {
        resolve({
          url: ready[1],
          child,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            return exited;
          },
          kill: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
            await exited;
          },
          stderr: () => stderr,
        });
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`the app process exited (${code}) before it was ready: ${stderr}`)),
    );
  });
}
