import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { AUTHOR_IDENTITY, COMMITTER_IDENTITY } from "./generate/fast-import.js";
import { fileContent } from "./generate/file-content.js";
import { createContentPools } from "./generate/generate-content.js";
import { createPackWriter } from "./generate/pack-writer.js";
import { planFiles } from "./generate/plan-files.js";
import { createRandom } from "./generate/seeded-random.js";
import { createTreeBuilder } from "./generate/tree-builder.js";
import { gitText, runGit } from "./git/run-git.js";

export {
  type CommitChangesOptions,
  commitChanges,
  type FileChange,
  type RandomChanges,
} from "./generate/commit-changes.js";

export type GenerateRepositoryOptions = {
  /** where the bare repository is created (made if missing; should be empty) */
  dir: string;
  /** how many files the first commit holds */
  files: number;
  /** the same seed gives the same files, bytes and commit SHA; default 1 */
  seed?: number;
  /** default "main" */
  branch?: string;
};

export type GeneratedRepository = {
  /** the bare repository: `dir`, resolved */
  gitDir: string;
  branch: string;
  headSha: string;
  treeSha: string;
  /** every file path, sorted by code unit */
  paths: string[];
};

/** Commit times start here (2023-11-14) so generated SHAs do not depend on the clock. */
export const BASE_COMMIT_TIME = 1_700_000_000;

/**
 * A bare git repository with one commit of `files` generated files, written straight into a pack (never a working
 * tree, never `git add`; see createPackWriter for why not fast-import): mostly 200 B–20 KB text, ~0.5% 100–600 KB text (some over 512,000 bytes), ~3% binary, empty files,
 * symlinks, executables, files copied into many folders, a few names with spaces or non-ASCII characters; up to 6
 * folder levels of 20–200 entries. Deterministic from `seed`.
 * @example const { gitDir, headSha, paths } = await generateRepository({ dir: tmp, files: 10_000, seed: 7 });
 */
export async function generateRepository(options: GenerateRepositoryOptions): Promise<GeneratedRepository> {
  const { files, seed = 1, branch = "main" } = options;
  const gitDir = resolve(options.dir);
  await initBareRepository(gitDir, branch);

  const random = createRandom(seed);
  const pools = createContentPools(seed);
  const planned = planFiles(random, files);
  const pack = await createPackWriter(gitDir);
  const trees = createTreeBuilder();
  for (const [index, file] of planned.entries()) {
    const linkTarget = file.kind === "symlink" ? planned[random.int(0, planned.length - 1)]?.path : undefined;
    const { mode, content } = fileContent({
      pools,
      random,
      kind: file.kind,
      path: file.path,
      tag: `${seed}:${index}`,
      unicodeContent: file.unicodeContent,
      ...(linkTarget !== undefined ? { linkTarget } : {}),
    });
    trees.add(file.path, mode, await pack.add("blob", content));
  }
  const rootTree = await trees.write(pack);
  const commit = await pack.add(
    "commit",
    commitObject(rootTree, `Generated ${files} files (seed ${seed})\n`),
  );
  await pack.finish();
  const ref = `refs/heads/${branch}`;
  await runGit(gitDir, ["update-ref", ref, commit]);

  const headSha = await gitText(gitDir, ["rev-parse", ref]);
  const treeSha = await gitText(gitDir, ["rev-parse", `${ref}^{tree}`]);
  const paths = planned.map((file) => file.path).sort();
  return { gitDir, branch, headSha, treeSha, paths };
}

function commitObject(tree: string, message: string): Buffer {
  const time = `${BASE_COMMIT_TIME} +0000`;
  return Buffer.from(
    `tree ${tree}\nauthor ${AUTHOR_IDENTITY} ${time}\ncommitter ${COMMITTER_IDENTITY} ${time}\n\n${message}`,
    "utf8",
  );
}

/** `git init --bare` with automatic gc off, so objects the simulator serves never move mid-test. */
export async function initBareRepository(gitDir: string, branch = "main"): Promise<void> {
  await mkdir(gitDir, { recursive: true });
  await runGit(gitDir, ["init", "--bare", "--quiet", `--initial-branch=${branch}`]);
  await runGit(gitDir, ["config", "gc.auto", "0"]);
}
