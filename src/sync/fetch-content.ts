import { fetchBlobContents } from "../github/fetch-blob-contents.js";
import { fetchRepoArchive } from "../github/fetch-repo-archive.js";
import type { BlobContent } from "../github/github-client.js";
import { requireGitHub } from "../github/require-github.js";
import { writeRepositoryFiles } from "../memory/write-repository-files.js";
import type { ResolvedTarget, SyncContext, SyncPlan } from "./sync-context.js";

export type FetchProgress = { done: number; total: number; bytes: number };

/**
 * Phase 3: fetch the missing content in batches and store each batch as it arrives, so a large sync never holds
 * every file at once. When most of the tree is needed (a first sync) one archive download replaces the content
 * queries; whatever the archive cannot give (export-ignore, LFS, rewritten files) is then queried. Objects are stored
 * by SHA and are not memory yet: a sync that fails later leaves them as a cache for the next attempt.
 */
export async function* fetchContent(
  context: SyncContext,
  plan: SyncPlan,
  target: ResolvedTarget,
): AsyncGenerator<FetchProgress> {
  const { deps, repository } = context;
  if (plan.submodules.length > 0) {
    await writeRepositoryFiles(
      deps.db,
      repository.id,
      plan.submodules.map((sha) => ({
        sha,
        kind: "submodule",
        size: 0,
        isBinary: false,
        content: null,
        omitted: "submodule",
      })),
    );
  }
  const total = plan.fetch.length;
  if (total === 0) return;
  const github = requireGitHub(context.deps.github);
  const progress: FetchProgress = { done: 0, total, bytes: 0 };
  const snapshot = (): FetchProgress => ({ ...progress });
  const store = async (batch: BlobContent[]): Promise<void> => {
    deps.signal?.throwIfAborted();
    await writeRepositoryFiles(
      deps.db,
      repository.id,
      batch.map((blob) => ({ ...blob, kind: "blob" as const })),
    );
    progress.done += batch.length;
    for (const blob of batch) if (blob.omitted !== "too_large") progress.bytes += blob.size;
  };
  const repo = { client: github, owner: repository.owner, repo: repository.name };

  let rest = plan.fetch;
  if (plan.archive && target.headSha) {
    const archive = fetchRepoArchive({
      ...repo,
      ref: target.headSha,
      wanted: new Map(plan.fetch.map((blob) => [blob.path, { sha: blob.sha, mode: blob.mode }])),
      maxFileSizeBytes: deps.maxFileSizeBytes,
    });
    const missing = new Set<string>();
    try {
      yield* writeBehind(archive, store, snapshot, (result) => {
        for (const sha of result.missing) missing.add(sha);
      });
    } finally {
      // A failed store or a cancel stops here: release the download instead of leaving it open.
      await archive.return({ missing: [] });
    }
    rest = plan.fetch.filter((blob) => missing.has(blob.sha));
  }
  yield* writeBehind(
    fetchBlobContents({ ...repo, blobs: rest, maxFileSizeBytes: deps.maxFileSizeBytes }),
    store,
    snapshot,
  );
}

// Two writes at once keep both of PostgreSQL's cores busy (compressing and logging text) while the next batch is read.
const WRITES_IN_FLIGHT = 2;

/**
 * Stores batches while the next ones are being read (at most WRITES_IN_FLIGHT writes at once), so downloading and
 * writing overlap instead of taking turns; yields the progress after each write, in order.
 */
async function* writeBehind<R>(
  batches: AsyncGenerator<BlobContent[], R>,
  store: (batch: BlobContent[]) => Promise<void>,
  progress: () => FetchProgress,
  onDone?: (result: R) => void,
): AsyncGenerator<FetchProgress> {
  const writing: Promise<void>[] = [];
  try {
    for (;;) {
      const step = await batches.next();
      while (writing.length >= (step.done ? 1 : WRITES_IN_FLIGHT)) {
        await writing.shift();
        yield progress();
      }
      if (step.done) {
        onDone?.(step.value);
        return;
      }
      const write = store(step.value);
      // observed at once: a write that fails (or is cancelled at shutdown) while the next batch downloads is not an
      // unhandled rejection; awaiting it below still throws its error
      write.catch(() => undefined);
      writing.push(write);
    }
  } finally {
    // never leave a write running unobserved (its failure would be an unhandled rejection)
    await Promise.allSettled(writing);
  }
}
