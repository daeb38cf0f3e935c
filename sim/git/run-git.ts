import { spawn } from "node:child_process";

export type RunGitOptions = {
  /** written to git's stdin, which is then closed */
  input?: string | Buffer;
  /** exit codes that are answers rather than failures (`merge-base` exits 1 when there is none) */
  okExitCodes?: readonly number[];
};

export type GitResult = { stdout: Buffer; exitCode: number };

/** Thrown when git exits with a code the caller did not expect; the message carries git's stderr. */
export class GitError extends Error {
  readonly exitCode: number | null;
  constructor(args: readonly string[], exitCode: number | null, stderr: string) {
    super(`git ${args.join(" ")} exited with ${exitCode}: ${stderr.trim()}`);
    this.name = "GitError";
    this.exitCode = exitCode;
  }
}

/**
 * Runs one git command against a (bare) repository and collects its stdout as bytes.
 * @example const { stdout } = await runGit(gitDir, ["rev-parse", "HEAD"]);
 */
export function runGit(
  gitDir: string,
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<GitResult> {
  const okExitCodes = options.okExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["--git-dir", gitDir, ...args], { stdio: "pipe" });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      if (exitCode !== null && okExitCodes.includes(exitCode)) {
        resolve({ stdout: Buffer.concat(stdout), exitCode });
      } else {
        reject(new GitError(args, exitCode, Buffer.concat(stderr).toString("utf8")));
      }
    });
    child.stdin.end(options.input);
  });
}

/** runGit's stdout as trimmed text. */
export async function gitText(
  gitDir: string,
  args: readonly string[],
  options?: RunGitOptions,
): Promise<string> {
  return (await runGit(gitDir, args, options)).stdout.toString("utf8").trim();
}
