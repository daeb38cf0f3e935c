import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export type StartTiming = {
  /** from spawn to the first byte on stdout (ms); NaN if nothing came */
  firstOutputMs: number;
  /**
   * CPU time (user + system, every thread) the process had used by its first byte on stdout (ms, Linux's 10 ms
   * ticks); NaN where /proc is missing. On a busy machine the wall time grows with the wait for a core, this much less.
   */
  firstOutputCpuMs: number;
  /** from spawn to the process's exit (ms) */
  exitMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
};

/**
 * Runs a command once and times it as a user sees it: spawn to the first byte on stdout, and to exit. Output is kept
 * (bounded) so a run that failed can be told from a fast one.
 */
export function timeFirstOutput(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<StartTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutputMs = Number.NaN;
    let firstOutputCpuMs = Number.NaN;
    let stdout = "";
    let stderr = "";
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      if (Number.isNaN(firstOutputMs)) {
        firstOutputMs = performance.now() - started;
        firstOutputCpuMs = cpuMsOf(child.pid);
      }
      if (stdout.length < 64_000) stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ firstOutputMs, firstOutputCpuMs, exitMs: performance.now() - started, code, stdout, stderr });
    });
  });
}

// /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 a second on Linux); the command name
// (field 2, in parentheses) may hold spaces, so fields are counted after its closing parenthesis.
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
