import { spawn } from "node:child_process";
import { once } from "node:events";

/** A running `git fast-import` fed command by command. */
export type FastImport = {
  /** queues bytes for git; resolves once git can take more (backpressure) */
  write(chunk: Buffer | string | readonly Buffer[]): Promise<void>;
  /** ends the stream and waits for git to write the pack and refs */
  finish(): Promise<void>;
};

// Commands are gathered into writes of about this size: one pipe write per file would dominate the run time.
const FLUSH_BYTES = 1024 * 1024;

/**
 * Starts `git fast-import` on a repository. The pack is written with zlib level 1 (fast; the pack on disk is a
 * little larger) and `--force` lets a ref move to an unrelated commit.
 * @example const importer = startFastImport(gitDir); await importer.write(commitHeader); await importer.finish();
 */
export function startFastImport(gitDir: string): FastImport {
  const child = spawn(
    "git",
    ["--git-dir", gitDir, "-c", "pack.compression=1", "fast-import", "--quiet", "--force", "--done"],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  const stderr: Buffer[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`git fast-import exited with ${code}: ${Buffer.concat(stderr).toString("utf8").trim()}`),
        );
    });
  });
  // Surfaced by finish(); a write into a dead process would otherwise reject first with a less useful EPIPE.
  exited.catch(() => {});
  child.stdin.on("error", () => {});

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    if (!child.stdin.write(data)) await Promise.race([once(child.stdin, "drain"), exited]);
  };

  return {
    async write(chunk) {
      const parts =
        typeof chunk === "string" ? [Buffer.from(chunk, "utf8")] : Buffer.isBuffer(chunk) ? [chunk] : chunk;
      for (const part of parts) {
        pending.push(part);
        pendingBytes += part.length;
      }
      if (pendingBytes >= FLUSH_BYTES) await flush();
    },
    async finish() {
      pending.push(Buffer.from("done\n"));
      pendingBytes += 5;
      await flush();
      child.stdin.end();
      await exited;
    },
  };
}

/** A path as fast-import reads it: C-style quoted, so spaces, quotes and newlines are safe. */
export function quotePath(path: string): string {
  return `"${path.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

const NEWLINE = Buffer.from("\n");

/** `M <mode> inline <path>` with its data: one file of a commit, as pieces (the content is not copied). */
export function modifyInline(mode: string, path: string, content: Buffer): Buffer[] {
  return [
    Buffer.from(`M ${mode} inline ${quotePath(path)}\ndata ${content.length}\n`, "utf8"),
    content,
    NEWLINE,
  ];
}

/** Who generated commits are by: fixed, so the same changes give the same SHA. */
export const AUTHOR_IDENTITY = "Sim Author <author@sim.example>";
export const COMMITTER_IDENTITY = "Sim Committer <committer@sim.example>";

/** The header of a commit on `ref`, with fixed identities and the given time so the SHA is reproducible. */
export function commitHeader(options: { ref: string; message: string; time: number; from?: string }): string {
  const { ref, message, time, from } = options;
  const messageBytes = Buffer.byteLength(message, "utf8");
  return (
    `commit ${ref}\n` +
    `author ${AUTHOR_IDENTITY} ${time} +0000\n` +
    `committer ${COMMITTER_IDENTITY} ${time} +0000\n` +
    `data ${messageBytes}\n${message}\n` +
    (from ? `from ${from}\n` : "")
  );
}
