import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

/** One line of `git diff --name-status -M -z`: status letter, score (R only) and the path(s). */
export type NameStatus = { status: string; score: number | null; paths: string[] };

export type GitScratch = {
  gitDir: string;
  /** writes a blob as a loose object and returns its SHA (no process started) */
  blob(content: Buffer | string): string;
  /** a tree (with subtrees) of these entries, built through a temporary index */
  tree(entries: readonly { path: string; mode: string; sha: string }[]): string;
  /** `git diff --name-status -M -z <a> <b>` parsed */
  diff(a: string, b: string): NameStatus[];
  remove(): void;
};

/** A bare repository in a temporary folder, to ask git itself what a diff of two trees is. */
export function createGitScratch(): GitScratch {
  const dir = mkdtempSync(join(tmpdir(), "git-scratch-"));
  const gitDir = join(dir, "repo.git");
  execFileSync("git", ["init", "-q", "--bare", gitDir]);
  let serial = 0;
  const git = (args: string[], input?: string, env: Record<string, string> = {}) =>
    execFileSync("git", ["--git-dir", gitDir, ...args], {
      input,
      env: { ...process.env, ...env },
      maxBuffer: 256 * 1024 * 1024,
    }).toString("utf8");
  return {
    gitDir,
    blob(content) {
      const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      const object = Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]);
      const sha = createHash("sha1").update(object).digest("hex");
      const folder = join(gitDir, "objects", sha.slice(0, 2));
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, sha.slice(2)), deflateSync(object));
      return sha;
    },
    tree(entries) {
      const index = join(dir, `index-${++serial}`);
      const lines = entries.map((entry) => {
        const type = entry.mode === "160000" ? "commit" : "blob";
        return `${entry.mode} ${type} ${entry.sha}\t${entry.path}\0`;
      });
      git(["update-index", "-z", "--add", "--index-info"], lines.join(""), { GIT_INDEX_FILE: index });
      return git(["write-tree", "--missing-ok"], undefined, { GIT_INDEX_FILE: index }).trim();
    },
    diff(a, b) {
      return parseNameStatus(git(["diff", "--name-status", "-M", "-z", a, b]));
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `--name-status -z` output: `R087\0old\0new\0`, `M\0path\0`. */
export function parseNameStatus(output: string): NameStatus[] {
  const fields = output.split("\0");
  const result: NameStatus[] = [];
  let index = 0;
  while (index < fields.length && fields[index] !== "") {
    const code = fields[index++] as string;
    const status = code.charAt(0);
    const count = status === "R" || status === "C" ? 2 : 1;
    result.push({
      status,
      score: code.length > 1 ? Number(code.slice(1)) : null,
      paths: fields.slice(index, index + count),
    });
    index += count;
  }
  return result;
}
