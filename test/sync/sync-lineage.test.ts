import { describe, expect, it } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import { readMemoryEntries } from "../../src/memory/read-memory-entries.js";
import { executeSync } from "../../src/service/execute-sync.js";
import { readMemoryPage } from "../../src/service/read-memory.js";
import { requestRestore } from "../../src/service/request-restore.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { useNockGitHub } from "../helpers/nock-github.js";
import { memoryOf, syncCommit, treeOf } from "../helpers/sync-harness.js";
import { useSyncRepository } from "../helpers/use-sync-repository.js";

describe("lineage, branches and restore", () => {
  useNockGitHub();
  let deps: ServiceDeps;
  let repo: FakeGitHubRepo;
  let repository: Repository;
  useSyncRepository((state) => {
    ({ deps, repo, repository } = state);
  });

  it("a new branch is diffed against the default branch: counts and content fetches cover only what differs", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`src/f${i}.ts`, `export const n = ${i};\n`]),
    );
    const main = repo.commit(files);
    repo.expectTree(main);
    repo.expectBlobQuery();
    const mainSync = await syncCommit(deps, { repository, commit: main });
    const feature = repo.commit({ ...files, "src/f3.ts": "changed\n", "src/new.ts": "new\n" });
    repo.expectTree(feature);
    const asked: string[][] = [];
    repo.expectBlobQuery({ onQuery: (shas) => asked.push(shas) });

    const { sync } = await syncCommit(deps, { repository, commit: feature, branch: "feature/x" });

    expect(sync).toMatchObject({
      status: "succeeded",
      branch: "feature/x",
      previousSyncId: null,
      baseSyncId: mainSync.sync.id,
      baseSha: main.sha,
      generation: 1,
      counts: { added: 1, modified: 1, removed: 0, renamed: 0, unchanged: 19 },
      stats: { filesFetched: 2, githubRequests: 2 },
    });
    expect(asked[0]).toHaveLength(2);
    expect(await memoryOf(deps, repository, "feature/x")).toEqual(treeOf(feature));
    expect(await memoryOf(deps, repository, "main")).toEqual(treeOf(main));
  });

  it("restores a past sync as a new sync in the lineage, and the next push diffs against the restored state", async () => {
    const v1 = repo.commit({ "a.txt": "one\n", "b.txt": "b\n" });
    repo.expectTree(v1);
    repo.expectBlobQuery();
    const first = await syncCommit(deps, { repository, commit: v1 });
    const v2 = repo.commit({ "a.txt": "two\n", "c.txt": "c\n" });
    repo.expectTree(v2);
    repo.expectBlobQuery();
    const second = await syncCommit(deps, { repository, commit: v2 });

    const queued = await requestRestore(deps, { syncId: first.sync.id });
    const restored = await executeSync({ ...deps, githubFor: async () => null }, { syncId: queued.id });

    expect(restored).toMatchObject({
      status: "succeeded",
      trigger: "restore",
      restoredFromSyncId: first.sync.id,
      previousSyncId: second.sync.id,
      headSha: v1.sha,
      headTreeSha: v1.treeSha,
      generation: 3,
      counts: { added: 1, modified: 1, removed: 1, renamed: 0, unchanged: 0 },
      stats: { filesFetched: 0, githubRequests: 0 },
    });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v1));

    const v3 = repo.commit({ "a.txt": "one\n", "b.txt": "b\n", "d.txt": "d\n" });
    repo.expectTree(v3);
    repo.expectBlobQuery();
    const after = await syncCommit(deps, { repository, commit: v3 });

    expect(after.sync).toMatchObject({
      previousSyncId: restored.id,
      baseSha: v1.sha,
      counts: { added: 1, modified: 0, removed: 0, renamed: 0, unchanged: 2 },
      stats: { filesFetched: 1 },
    });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v3));
  });

  it("reads never return superseded entries, and a past sync's memory is read as it was", async () => {
    const v1 = repo.commit({ "keep.txt": "k\n", "edit.txt": "old\n", "gone.txt": "g\n" });
    repo.expectTree(v1);
    repo.expectBlobQuery();
    const first = await syncCommit(deps, { repository, commit: v1 });
    const v2 = repo.commit({ "keep.txt": "k\n", "edit.txt": "new\n" });
    repo.expectTree(v2);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit: v2 });

    const now = await readMemoryEntries(deps.db, { repositoryId: repository.id, branch: "main" });
    const past = await readMemoryPage(deps, { repository, asOfSyncId: first.sync.id });
    const superseded = await deps.db.memoryEntry.count({ where: { status: "superseded" } });

    expect(superseded).toBe(2);
    expect(now.entries.map((entry) => `${entry.path} ${entry.blobSha}`)).toEqual(
      v2.entries.map((entry) => `${entry.path} ${entry.sha}`),
    );
    expect(past.entries.map((entry) => `${entry.path} ${entry.blobSha}`)).toEqual(
      v1.entries.map((entry) => `${entry.path} ${entry.sha}`),
    );
  });

  it("pages through memory with a path prefix and a cursor", async () => {
    const v1 = repo.commit({ "docs/a.md": "a", "docs/b.md": "b", "docs/c.md": "c", "src/x.ts": "x" });
    repo.expectTree(v1);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit: v1 });

    const first = await readMemoryPage(deps, { repository, pathPrefix: "docs/", limit: 2 });
    const second = await readMemoryPage(deps, {
      repository,
      pathPrefix: "docs/",
      limit: 2,
      cursor: first.nextCursor ?? "",
    });

    expect(first.entries.map((entry) => entry.path)).toEqual(["docs/a.md", "docs/b.md"]);
    expect(first.nextCursor).toBe("docs/b.md");
    expect(second).toMatchObject({ entries: [{ path: "docs/c.md" }], nextCursor: null });
  });

  it("a push of the head already synced is recorded without a GitHub request", async () => {
    const v1 = repo.commit({ "a.txt": "a\n" });
    repo.expectTree(v1);
    repo.expectBlobQuery();
    const first = await syncCommit(deps, { repository, commit: v1 });

    const again = await syncCommit(deps, { repository, commit: v1 });

    expect(again.sync).toMatchObject({
      status: "succeeded",
      previousSyncId: first.sync.id,
      counts: { added: 0, modified: 0, removed: 0, renamed: 0, unchanged: 1 },
      stats: { githubRequests: 0 },
    });
  });

  it("a full resync refetches every blob and repairs stored content", async () => {
    const v1 = repo.commit({ "a.txt": "a\n", "b.txt": "b\n" });
    repo.expectTree(v1);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit: v1 });
    await deps.db.repositoryFile.updateMany({ data: { content: "corrupted" } });
    repo.expectTree(v1);
    const asked: string[][] = [];
    repo.expectBlobQuery({ onQuery: (shas) => asked.push(shas) });

    const { sync } = await syncCommit(deps, { repository, commit: v1, full: true });

    expect(sync).toMatchObject({
      status: "succeeded",
      full: true,
      counts: { unchanged: 2 },
      stats: { filesFetched: 2 },
    });
    expect(asked[0]).toHaveLength(2);
    const contents = await deps.db.repositoryFile.findMany({
      select: { content: true },
      orderBy: { content: "asc" },
    });
    expect(contents.map((row) => row.content)).toEqual(["a\n", "b\n"]);
  });
});
