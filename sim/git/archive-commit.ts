import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { createGzip } from "node:zlib";

export type ArchiveCommitOptions = {
  gitDir: string;
  sha: string;
  /** the folder every entry sits in, without the trailing slash: `owner-repo-abc1234` */
  prefix: string;
  /** zlib level 0–9 */
  gzipLevel: number;
};

/**
 * `git archive --format=tar` of a commit, gzipped as it streams. git writes a pax global header with the commit id
 * first, as GitHub's tarballs have. `stop()` ends git when the reader goes away.
 * @example const archive = archiveCommit({ gitDir, sha, prefix: "octo-big-abc1234", gzipLevel: 1 }); archive.stream.pipe(out);
 */
export function archiveCommit(options: ArchiveCommitOptions): { stream: Readable; stop(): void } {
  const { gitDir, sha, prefix, gzipLevel } = options;
  const child = spawn("git", ["--git-dir", gitDir, "archive", "--format=tar", `--prefix=${prefix}/`, sha], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const gzip = createGzip({ level: gzipLevel });
  child.stdout.pipe(gzip);
  child.on("error", (error) => gzip.destroy(error));
  child.on("close", (code) => {
    if (code !== 0 && code !== null) gzip.destroy(new Error(`git archive exited with ${code}`));
  });
  return {
    stream: gzip,
    stop() {
      child.kill();
      gzip.destroy();
    },
  };
}
