import { z } from "zod";
import type { Db } from "../src/db/create-prisma-client.js";
import type { Repository } from "../src/generated/prisma/client.js";
import { fetchRepoTreeWithSha } from "../src/github/fetch-repo-tree-with-sha.js";
import type { GitHubClient, TreeEntry } from "../src/github/github-client.js";

/**
 * The seed's design, kept only as the benchmark's baseline: recursive tree, one blob request per changed file, and
 * one database statement per row. It writes the same tables as the engine (under its own repository row) so the two
 * are compared on equal storage.
 */
export async function baselineSync(options: {
  db: Db;
  client: GitHubClient;
  repository: Repository;
  branch: string;
  maxFileSizeBytes: number;
  /** stop once this much time has passed (the baseline is slow on large repositories) */
  deadline?: number;
}): Promise<BaselineResult> {
  const { db, client, repository, branch } = options;
  const owner = repository.owner;
  const repo = repository.name;
  const head = branchSchema.parse(
    (await client.request("GET /repos/{owner}/{repo}/branches/{branch}", { owner, repo, branch })).data,
  );
  // The seed read one recursive listing and missed what GitHub truncates past 100,000 entries; the baseline walks the
  // tree to completion (without the engine's reuse of unchanged subtrees) so both sides sync the same files.
  const { entries } = await fetchRepoTreeWithSha({
    client,
    owner,
    repo,
    treeSha: head.commit.commit.tree.sha,
  });
  const previous = await db.memoryEntry.findMany({
    where: { repositoryId: repository.id, branch, status: "active" },
    select: { id: true, path: true, blobSha: true, mode: true },
  });
  const before = new Map(previous.map((entry) => [entry.path, entry]));
  const sync = await db.projectSync.create({
    data: {
      repositoryId: repository.id,
      branch,
      trigger: "manual",
      status: "running",
      headSha: head.commit.sha,
    },
  });
  const last = await db.projectSync.findFirst({
    where: { repositoryId: repository.id, branch, status: "succeeded" },
    orderBy: { generation: "desc" },
  });
  const generation = (last?.generation ?? 0) + 1;
  const counts = { added: 0, modified: 0, removed: 0 };

  let processed = 0;
  for (const entry of entries) {
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      return { syncId: sync.id, ...counts, processed, total: entries.length, timedOut: true };
    }
    processed += 1;
    const old = before.get(entry.path);
    before.delete(entry.path);
    if (old && old.blobSha === entry.sha && old.mode === entry.mode) continue;
    await storeObject({ ...options, owner, repo, entry });
    if (old) {
      counts.modified += 1;
      await supersede(db, old.id, sync.id, generation);
    } else {
      counts.added += 1;
    }
    await db.memoryEntry.create({
      data: {
        repositoryId: repository.id,
        branch,
        path: entry.path,
        mode: entry.mode,
        blobSha: entry.sha,
        syncId: sync.id,
        validFrom: generation,
      },
    });
  }
  for (const old of before.values()) {
    counts.removed += 1;
    await supersede(db, old.id, sync.id, generation);
  }
  await db.projectSync.update({
    where: { id: sync.id },
    data: {
      status: "succeeded",
      generation,
      previousSyncId: last?.id ?? null,
      finishedAt: new Date(),
      ...counts,
    },
  });
  return { syncId: sync.id, ...counts, processed, total: entries.length, timedOut: false };
}

export type BaselineResult = {
  syncId: string;
  added: number;
  modified: number;
  removed: number;
  /** tree entries handled before the deadline, of `total` */
  processed: number;
  total: number;
  timedOut: boolean;
};

async function storeObject(options: {
  db: Db;
  client: GitHubClient;
  repository: Repository;
  owner: string;
  repo: string;
  maxFileSizeBytes: number;
  entry: TreeEntry;
}): Promise<void> {
  const { db, client, repository, owner, repo, entry } = options;
  const known = await db.repositoryFile.findUnique({
    where: { repositoryId_sha: { repositoryId: repository.id, sha: entry.sha } },
  });
  if (known) return;
  let content: string | null = null;
  let isBinary = false;
  if (entry.type === "blob") {
    const blob = blobSchema.parse(
      (
        await client.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
          owner,
          repo,
          file_sha: entry.sha,
        })
      ).data,
    );
    const bytes = Buffer.from(blob.content, "base64");
    isBinary = bytes.includes(0);
    content = isBinary || bytes.length > options.maxFileSizeBytes ? null : bytes.toString("utf8");
  }
  await db.repositoryFile.create({
    data: {
      repositoryId: repository.id,
      sha: entry.sha,
      kind: entry.type === "commit" ? "submodule" : "blob",
      size: entry.size,
      isBinary,
      content,
      omitted:
        entry.type === "commit" ? "submodule" : isBinary ? "binary" : content === null ? "too_large" : null,
    },
  });
}

async function supersede(db: Db, id: bigint, syncId: string, generation: number): Promise<void> {
  await db.memoryEntry.update({
    where: { id },
    data: { status: "superseded", validTo: generation, supersededBySyncId: syncId, supersededAt: new Date() },
  });
}

const branchSchema = z.object({
  commit: z.object({ sha: z.string(), commit: z.object({ tree: z.object({ sha: z.string() }) }) }),
});
const blobSchema = z.object({ content: z.string() });
