import { describe, expect, it } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import { readMemoryEntries } from "../../src/memory/read-memory-entries.js";
import { readMemoryFile } from "../../src/memory/read-memory-file.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { useNockGitHub } from "../helpers/nock-github.js";
import { memoryOf, syncCommit, treeOf } from "../helpers/sync-harness.js";
import { useSyncRepository } from "../helpers/use-sync-repository.js";

describe("runSync", () => {
  useNockGitHub();
  let deps: ServiceDeps;
  let repo: FakeGitHubRepo;
  let repository: Repository;
  useSyncRepository((state) => {
    ({ deps, repo, repository } = state);
  });

  it("first sync stores every file, in one tree request and one content query, through four phases", async () => {
    const commit = repo.commit({
      "README.md": "# hello\n",
      "src/index.ts": "export {};\n",
      "src/util.ts": "x\n",
    });
    repo.expectTree(commit);
    repo.expectBlobQuery();

    const { sync, events } = await syncCommit(deps, { repository, commit });

    expect(sync).toMatchObject({
      status: "succeeded",
      trigger: "push",
      branch: "main",
      headSha: commit.sha,
      headTreeSha: commit.treeSha,
      previousSyncId: null,
      generation: 1,
      counts: { added: 3, modified: 0, removed: 0, renamed: 0, unchanged: 0 },
      stats: { filesFetched: 3, githubRequests: 2 },
      error: null,
    });
    expect(events.filter((event) => event.type === "phase").map((event) => event.phase)).toEqual([
      "resolve",
      "diff",
      "fetch",
      "finalize",
    ]);
    expect(events.at(-1)).toMatchObject({ type: "status", status: "succeeded" });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(commit));
    const file = await readMemoryFile(deps.db, {
      repositoryId: repository.id,
      branch: "main",
      path: "README.md",
    });
    expect(file).toMatchObject({
      content: "# hello\n",
      size: 8,
      isBinary: false,
      omitted: null,
      syncId: sync.id,
    });
  });

  it("an incremental push writes only what changed and fetches only content memory lacks", async () => {
    const first = repo.commit({
      "a.txt": "a\n",
      "b.txt": "b\n",
      "c.txt": "c\n",
      "old-name.txt": "renamed content\n",
      "run.sh": "echo hi\n",
    });
    repo.expectTree(first);
    repo.expectBlobQuery();
    const base = await syncCommit(deps, { repository, commit: first });
    const second = repo.commit({
      "a.txt": "a changed\n",
      "c.txt": "c\n",
      "d.txt": "d\n",
      "new-name.txt": "renamed content\n",
      "run.sh": { content: "echo hi\n", mode: "100755" },
    });
    repo.expectTree(second);
    const asked: string[][] = [];
    repo.expectBlobQuery({ onQuery: (shas) => asked.push(shas) });

    const { sync } = await syncCommit(deps, { repository, commit: second });

    expect(sync).toMatchObject({
      status: "succeeded",
      previousSyncId: base.sync.id,
      baseSyncId: base.sync.id,
      baseSha: first.sha,
      generation: 2,
      counts: { added: 1, modified: 2, removed: 1, renamed: 1, unchanged: 1 },
      stats: { filesFetched: 2, githubRequests: 2 },
    });
    const changed = second.entries.filter((entry) => entry.path === "a.txt" || entry.path === "d.txt");
    expect(asked).toEqual([changed.map((entry) => entry.sha).sort()]);
    expect(await memoryOf(deps, repository)).toEqual(treeOf(second));
  });

  it("a rename, a revert or a copy costs no content request", async () => {
    const first = repo.commit({ "x.txt": "same\n", "y.txt": "other\n" });
    repo.expectTree(first);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit: first });
    const second = repo.commit({ "moved/x.txt": "same\n", "copy.txt": "other\n", "y.txt": "other\n" });
    repo.expectTree(second);

    const { sync } = await syncCommit(deps, { repository, commit: second });

    expect(sync.counts).toEqual({ added: 1, modified: 0, removed: 0, renamed: 1, unchanged: 1 });
    expect(sync.stats).toEqual({ filesFetched: 0, bytesFetched: 0, githubRequests: 1 });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(second));
  });

  it("a force push to unrelated history replaces the whole memory", async () => {
    const first = repo.commit({ "one.txt": "1\n", "two.txt": "2\n" });
    repo.expectTree(first);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit: first });
    const unrelated = repo.commit({ "other/three.txt": "3\n" });
    repo.expectTree(unrelated);
    repo.expectBlobQuery();

    const { sync } = await syncCommit(deps, { repository, commit: unrelated });

    expect(sync.counts).toEqual({ added: 1, modified: 0, removed: 2, renamed: 0, unchanged: 0 });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(unrelated));
  });

  it("keeps binary, oversized and empty files, symlinks and submodules with the right content rules", async () => {
    deps = { ...deps, maxFileSizeBytes: 64 };
    const submodule = "a".repeat(40);
    const commit = repo.commit({
      "empty.txt": "",
      "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      "big.txt": "x".repeat(65),
      link: { content: "empty.txt", mode: "120000" },
      "vendor/lib": { submodule },
    });
    repo.expectTree(commit);
    repo.expectBlobQuery();

    const { sync } = await syncCommit(deps, { repository, commit });

    expect(sync.status).toBe("succeeded");
    const page = await readMemoryEntries(deps.db, { repositoryId: repository.id, branch: "main" });
    expect(
      page.entries.map(({ path, mode, size, isBinary, omitted }) => ({
        path,
        mode,
        size,
        isBinary,
        omitted,
      })),
    ).toEqual([
      { path: "big.txt", mode: "100644", size: 65, isBinary: false, omitted: "too_large" },
      { path: "empty.txt", mode: "100644", size: 0, isBinary: false, omitted: null },
      { path: "link", mode: "120000", size: 9, isBinary: false, omitted: null },
      { path: "logo.png", mode: "100644", size: 6, isBinary: true, omitted: "binary" },
      { path: "vendor/lib", mode: "160000", size: 0, isBinary: false, omitted: "submodule" },
    ]);
    const read = (path: string) =>
      readMemoryFile(deps.db, { repositoryId: repository.id, branch: "main", path });
    expect((await read("empty.txt"))?.content).toBe("");
    expect((await read("link"))?.content).toBe("empty.txt");
    expect((await read("big.txt"))?.content).toBeNull();
    expect((await read("vendor/lib"))?.blobSha).toBe(submodule);
  });
  it("a first sync of many files is one tree request and one archive; a push of k files is one tree request and ceil(k'/100) content queries", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i += 1) files[`pkg/${i % 10}/file-${i}.txt`] = `content ${i}\n`;
    const first = repo.commit(files);
    repo.expectTree(first);
    await repo.expectArchive(first);
    const initial = await syncCommit(deps, { repository, commit: first });
    const second = repo.commit({
      ...files,
      "pkg/0/file-0.txt": "edited\n",
      "pkg/1/file-1.txt": "edited too\n",
      "pkg/new.txt": "new\n",
    });
    repo.expectTree(second);
    repo.expectBlobQuery();

    const { sync } = await syncCommit(deps, { repository, commit: second });

    expect(initial.sync.stats).toMatchObject({ filesFetched: 1000, githubRequests: 2 });
    expect(sync).toMatchObject({
      counts: { added: 1, modified: 2, removed: 0, renamed: 0, unchanged: 998 },
      stats: { filesFetched: 3, githubRequests: 2 },
    });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(second));
  });

  it("reads text over GraphQL's 512,000-byte truncation through the raw blob API", async () => {
    const large = `${"0123456789abcdef".repeat(40_000)}\n`;
    const commit = repo.commit({ "data/large.csv": large, "small.txt": "s\n" });
    repo.expectTree(commit);
    repo.expectBlobQuery();
    repo.expectRawBlob(commit.entries.find((entry) => entry.path === "data/large.csv")?.sha as string);

    const { sync } = await syncCommit(deps, { repository, commit });

    expect(sync.stats).toMatchObject({ filesFetched: 2, githubRequests: 3 });
    const file = await readMemoryFile(deps.db, {
      repositoryId: repository.id,
      branch: "main",
      path: "data/large.csv",
    });
    expect(file?.content).toBe(large);
  });
  it("completes a tree GitHub truncated by walking its subtrees, so memory still equals the whole tree", async () => {
    const commit = repo.commit({
      "README.md": "r\n",
      "src/a.ts": "a\n",
      "src/deep/b.ts": "b\n",
      "docs/guide.md": "g\n",
      "docs/img/logo.svg": "<svg/>\n",
    });
    repo.expectTruncatedTree(commit);
    repo.expectBlobQuery();

    const { sync } = await syncCommit(deps, { repository, commit });

    expect(sync).toMatchObject({ status: "succeeded", counts: { added: 5 }, stats: { githubRequests: 5 } });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(commit));
  });
  it("a tree too big for one listing: a push on the synced head costs compare + one folder query, a force push walks the changed folders over GraphQL", async () => {
    const files = {
      "README.md": "r\n",
      "src/a.ts": "a\n",
      "src/deep/b.ts": "b\n",
      "docs/guide.md": "g\n",
      "vendor/lib.js": "lib\n",
      "vendor/mod": { submodule: "c".repeat(40) },
    };
    const first = repo.commit(files);
    repo.expectTruncatedTree(first);
    repo.expectBlobQuery();
    const base = await syncCommit(deps, { repository, commit: first });
    const { "vendor/lib.js": _removed, "src/a.ts": moved, ...kept } = files;
    const second = repo.commit({
      ...kept,
      "lib/a.ts": moved,
      "src/deep/b.ts": "b2\n",
      "README.md": { content: "r\n", mode: "100755" },
      "docs/link": { content: "guide.md", mode: "120000" },
      "vendor/mod": { submodule: "d".repeat(40) },
    });
    repo.expectPush(first, second);
    const asked: string[][] = [];
    repo.expectBlobQuery({ onQuery: (shas) => asked.push(shas) });

    const pushed = await syncCommit(deps, { repository, commit: second });

    expect(base.sync.stats.githubRequests).toBe(6);
    expect(pushed.sync).toMatchObject({
      status: "succeeded",
      headTreeSha: second.treeSha,
      counts: { added: 1, modified: 3, removed: 1, renamed: 1, unchanged: 1 },
      stats: { githubRequests: 3 },
    });
    expect(asked[0]).toHaveLength(2);
    expect(await memoryOf(deps, repository)).toEqual(treeOf(second));

    const forced = repo.commit({ ...kept, "src/deep/b.ts": "forced\n" }, { parent: null });
    // not an ancestor: one GraphQL query walks the changed folders (the fake's folder SHAs are not git's, so memory's
    // never match: every folder is listed, three levels in that one query)
    repo.expectPush(second, forced, { treeDiff: true });
    repo.expectBlobQuery();

    const rewritten = await syncCommit(deps, { repository, commit: forced });

    expect(rewritten.sync).toMatchObject({ status: "succeeded", stats: { githubRequests: 3 } });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(forced));
  });

  it("takes what the archive leaves out (export-ignore, LFS) from content queries", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i += 1) files[`f/${i}.txt`] = `file ${i}\n`;
    const commit = repo.commit(files);
    repo.expectTree(commit);
    await repo.expectArchive(commit, { omit: ["f/7.txt", "f/300.txt"] });
    const asked: string[][] = [];
    repo.expectBlobQuery({ onQuery: (shas) => asked.push(shas) });

    const { sync } = await syncCommit(deps, { repository, commit });

    const omitted = commit.entries.filter((entry) => entry.path === "f/7.txt" || entry.path === "f/300.txt");
    expect(asked).toEqual([omitted.map((entry) => entry.sha).sort()]);
    expect(sync.stats).toMatchObject({ filesFetched: 400, githubRequests: 3 });
    const file = await readMemoryFile(deps.db, {
      repositoryId: repository.id,
      branch: "main",
      path: "f/7.txt",
    });
    expect(file?.content).toBe("file 7\n");
    expect(await memoryOf(deps, repository)).toEqual(treeOf(commit));
  });
});
