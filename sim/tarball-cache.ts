import { createWriteStream } from "node:fs";
import { mkdtemp, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { archiveCommit } from "./git/archive-commit.js";
import type { SimRepository } from "./sim-repository.js";

/** A gzipped archive prepared on disk. */
export type CachedTarball = { path: string; bytes: number };

/**
 * Tarballs built ahead of time, like codeload's cache: gzipping a 100,000-file archive takes many seconds, which a
 * benchmark should not count as the app's time. Files live in a temporary folder removed by clear().
 */
export type TarballCache = {
  get(repository: SimRepository, sha: string): CachedTarball | undefined;
  prepare(repository: SimRepository, sha: string, gzipLevel: number): Promise<CachedTarball>;
  clear(): Promise<void>;
};

/** The folder every entry of a commit's tarball sits in, as GitHub names it. */
export function tarballPrefix(repository: SimRepository, sha: string): string {
  return `${repository.owner}-${repository.name}-${sha.slice(0, 7)}`;
}

export function createTarballCache(): TarballCache {
  const entries = new Map<string, CachedTarball>();
  let folder: Promise<string> | undefined;
  const keyOf = (repository: SimRepository, sha: string) => `${repository.id}-${sha}`;
  return {
    get: (repository, sha) => entries.get(keyOf(repository, sha)),
    async prepare(repository, sha, gzipLevel) {
      const key = keyOf(repository, sha);
      const existing = entries.get(key);
      if (existing) return existing;
      folder ??= mkdtemp(join(tmpdir(), "github-simulator-tarballs-"));
      const path = join(await folder, `${key}.tar.gz`);
      const archive = archiveCommit({
        gitDir: repository.gitDir,
        sha,
        prefix: tarballPrefix(repository, sha),
        gzipLevel,
      });
      await pipeline(archive.stream, createWriteStream(`${path}.partial`));
      await rename(`${path}.partial`, path);
      const cached = { path, bytes: (await stat(path)).size };
      entries.set(key, cached);
      return cached;
    },
    async clear() {
      entries.clear();
      const current = folder;
      folder = undefined;
      if (current) await rm(await current, { recursive: true, force: true });
    },
  };
}
