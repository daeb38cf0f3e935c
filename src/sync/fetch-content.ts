import { fetchBlobContents } from "../github/fetch-blob-contents.js";
import { writeRepositoryFiles } from "../memory/write-repository-files.js";
import { requireGitHub } from "./resolve-target.js";
import type { SyncContext, SyncPlan } from "./sync-context.js";

export type FetchProgress = { done: number; total: number; bytes: number };

/**
 * Phase 3: fetch the missing content in batches and store each batch as it arrives, so a large sync never holds
 * every file at once. Objects are stored by SHA and are not memory yet: a sync that fails later leaves them as a
 * cache for the next attempt, and readers see nothing of them.
 */
export async function* fetchContent(context: SyncContext, plan: SyncPlan): AsyncGenerator<FetchProgress> {
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
  const github = requireGitHub(context);
  let done = 0;
  let bytes = 0;
  for await (const batch of fetchBlobContents({
    client: github,
    owner: repository.owner,
    repo: repository.name,
    blobs: plan.fetch,
    maxFileSizeBytes: deps.maxFileSizeBytes,
  })) {
    deps.signal?.throwIfAborted();
    await writeRepositoryFiles(
      deps.db,
      repository.id,
      batch.map((blob) => ({ ...blob, kind: "blob" as const })),
    );
    done += batch.length;
    for (const blob of batch) if (blob.omitted !== "too_large") bytes += blob.size;
    yield { done, total, bytes };
  }
}
