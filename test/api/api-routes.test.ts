import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Express } from "express";
import request from "supertest";
import {
  branchListSchema,
  memoryFileSchema,
  memoryPageSchema,
  repositoryListSchema,
  syncComparisonSchema,
  syncListSchema,
  syncSchema,
} from "../../src/api/api-response-schemas.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { createSyncWorker } from "../../src/queue/create-sync-worker.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import { type FakeCommit, FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { testOctokit, useNockGitHub } from "../helpers/nock-github.js";
import { createRepositoryRow, memoryOf, serviceDeps, syncCommit, treeOf } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { type ApiCalls, createApiTestServer } from "./api-test-server.js";

// GitHub is nock here (the branch list, the head lookup of POST syncs, the syncs that fill memory); supertest
// reaches the server on 127.0.0.1, which nock lets through. No simulator or other real server in this file.

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);

describe("REST API /api/v1 (real PostgreSQL)", () => {
  const github = useNockGitHub();
  let database: TestDatabase;
  let deps: ServiceDeps;
  let app: Express;
  let calls: ApiCalls;
  const repo = new FakeGitHubRepo({ owner: "Octo-Org", name: "hello-world" });
  let repository: Repository;
  let first: { commit: FakeCommit; sync: SyncView };
  let second: { commit: FakeCommit; sync: SyncView };

  beforeAll(async () => {
    database = await createTestDatabase();
    // a small size cap, so one file is stored without content (too_large)
    const octokit = testOctokit();
    deps = serviceDeps(database, { maxFileSizeBytes: 64, githubFor: async () => octokit });
    ({ app, calls } = createApiTestServer({ service: deps }));
    repository = await createRepositoryRow(deps, repo);
    const files = {
      "README.md": "hello\n",
      "src/a.ts": "export const a = 1;\n",
      "src/b.ts": "export const b = 2;\n",
      "logo.png": PNG,
      "big.txt": "x".repeat(100),
    };
    const c1 = repo.commit(files);
    repo.expectTree(c1);
    repo.expectBlobQuery();
    first = { commit: c1, sync: (await syncCommit(deps, { repository, commit: c1 })).sync };
    const { "src/b.ts": _removed, ...kept } = files;
    const c2 = repo.commit({ ...kept, "README.md": "hello again\n", "src/c.ts": "c\n" });
    repo.expectTree(c2);
    repo.expectBlobQuery();
    second = { commit: c2, sync: (await syncCommit(deps, { repository, commit: c2 })).sync };
    // another repository, never synced, and one the app was uninstalled from
    await deps.db.repository.create({
      data: { key: "a-org/zeta", owner: "a-org", name: "zeta", defaultBranch: "trunk", isPrivate: true },
    });
    await deps.db.repository.create({
      data: { key: "z-org/gone", owner: "z-org", name: "gone", defaultBranch: "main", active: false },
    });
  });
  afterAll(async () => {
    await database.drop();
  });

  const expectError = (response: request.Response, status: number, code: string) => {
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
    expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
  };

  describe("GET /repos", () => {
    it("lists known repositories by name with the default branch's last sync", async () => {
      const response = await request(app).get("/api/v1/repos");

      expect(response.status).toBe(200);
      const body = repositoryListSchema.parse(response.body);
      expect(
        body.repos.map((r) => [r.fullName, r.defaultBranch, r.private, r.active, r.lastSync?.id ?? null]),
      ).toEqual([
        ["a-org/zeta", "trunk", true, true, null],
        ["Octo-Org/hello-world", "main", false, true, second.sync.id],
        ["z-org/gone", "main", false, false, null],
      ]);
      expect(body.nextCursor).toBeNull();
      expect(body.repos[1]).toMatchObject({ owner: "Octo-Org", name: "hello-world" });
    });

    it("pages with limit and cursor", async () => {
      const page1 = await request(app).get("/api/v1/repos?limit=2");
      const page2 = await request(app)
        .get("/api/v1/repos")
        .query({ limit: 2, cursor: page1.body.nextCursor });

      expect(page1.body.repos.map((r: { fullName: string }) => r.fullName)).toEqual([
        "a-org/zeta",
        "Octo-Org/hello-world",
      ]);
      expect(page1.body.nextCursor).toBe("octo-org/hello-world");
      expect(page2.body).toEqual({
        repos: [expect.objectContaining({ fullName: "z-org/gone" })],
        nextCursor: null,
      });
    });

    it.each([
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["limit=ten", "limit"],
      ["limit=1.5", "limit"],
      ["cursor=not%20a%20cursor", "cursor"],
      ["owner=octo", '"owner"'],
      ["limit=1&limit=2", "limit"],
    ])("answers ?%s with 400 BAD_INPUT naming %s", async (query, named) => {
      const response = await request(app).get(`/api/v1/repos?${query}`);

      expectError(response, 400, "BAD_INPUT");
      expect(response.body.error.message).toContain(named);
    });
  });

  describe("GET /repos/:owner/:repo/branches", () => {
    it("lists GitHub's branches with head SHA and last sync", async () => {
      github
        .api()
        .get("/repos/Octo-Org/hello-world/branches")
        .query({ per_page: "100" })
        .reply(200, [
          { name: "main", commit: { sha: second.commit.sha }, protected: false },
          { name: "dev", commit: { sha: "d".repeat(40) }, protected: false },
        ]);

      const response = await request(app).get("/api/v1/repos/octo-org/Hello-World/branches");

      expect(response.status).toBe(200);
      expect(branchListSchema.parse(response.body)).toEqual({
        branches: [
          {
            name: "main",
            headSha: second.commit.sha,
            protected: false,
            isDefault: true,
            lastSync: expect.objectContaining({ id: second.sync.id }),
            inSync: true,
          },
          {
            name: "dev",
            headSha: "d".repeat(40),
            protected: false,
            isDefault: false,
            lastSync: null,
            inSync: false,
          },
        ],
        nextCursor: null,
      });
    });

    it("answers an unknown repository with 404 without asking GitHub", async () => {
      expectError(
        await request(app).get("/api/v1/repos/octo-org/nope/branches"),
        404,
        "REPOSITORY_NOT_FOUND",
      );
    });

    it("answers a malformed repository name and unknown query parameters with 400", async () => {
      expectError(await request(app).get("/api/v1/repos/-bad-/x/branches"), 400, "BAD_INPUT");
      expectError(await request(app).get("/api/v1/repos/octo-org/..%2F/branches"), 400, "BAD_INPUT");
      expectError(
        await request(app).get("/api/v1/repos/octo-org/hello-world/branches?page=2"),
        400,
        "BAD_INPUT",
      );
    });
  });

  describe("GET /repos/:owner/:repo/syncs", () => {
    it("lists history newest first with lineage, a page at a time", async () => {
      const page1 = await request(app).get("/api/v1/repos/octo-org/hello-world/syncs?branch=main&limit=1");
      const page2 = await request(app)
        .get("/api/v1/repos/octo-org/hello-world/syncs")
        .query({ branch: "main", limit: 1, cursor: page1.body.nextCursor });

      expect(page1.status).toBe(200);
      expect(syncListSchema.parse(page1.body)).toEqual({ syncs: [second.sync], nextCursor: second.sync.id });
      expect(syncListSchema.parse(page2.body)).toEqual({ syncs: [first.sync], nextCursor: null });
      expect(second.sync.previousSyncId).toBe(first.sync.id);
    });

    it("answers unknown repositories and branches with 404", async () => {
      expectError(await request(app).get("/api/v1/repos/octo-org/nope/syncs"), 404, "REPOSITORY_NOT_FOUND");
      expectError(
        await request(app).get("/api/v1/repos/octo-org/hello-world/syncs?branch=dev"),
        404,
        "BRANCH_NOT_FOUND",
      );
    });

    it.each([
      "cursor=nope",
      `cursor=${UNKNOWN_ID}`,
      "limit=0",
      "limit=100000",
      "branch=bad..name",
      "branch=",
      "sort=asc",
    ])("answers ?%s with 400", async (query) => {
      expectError(
        await request(app).get(`/api/v1/repos/octo-org/hello-world/syncs?${query}`),
        400,
        "BAD_INPUT",
      );
    });
  });

  describe("GET /syncs/:syncId", () => {
    it("answers one sync as the CLI prints it", async () => {
      const response = await request(app).get(`/api/v1/syncs/${first.sync.id}`);

      expect(response.status).toBe(200);
      expect(syncSchema.parse(response.body)).toEqual(first.sync);
      expect(response.headers["cache-control"]).toBe("no-store");
    });

    it("answers an unknown id with 404 and a malformed one with 400", async () => {
      expectError(await request(app).get(`/api/v1/syncs/${UNKNOWN_ID}`), 404, "SYNC_NOT_FOUND");
      expectError(await request(app).get("/api/v1/syncs/not-a-uuid"), 400, "BAD_INPUT");
      expectError(await request(app).get(`/api/v1/syncs/${first.sync.id}?verbose=1`), 400, "BAD_INPUT");
    });
  });

  describe("GET /repos/:owner/:repo/memory", () => {
    const memory = (query: Record<string, string | number>) =>
      request(app).get("/api/v1/repos/octo-org/hello-world/memory").query(query);

    it("lists the default branch's current memory with path, blob SHA, size, binary flag and sync", async () => {
      const response = await memory({});

      expect(response.status).toBe(200);
      const body = memoryPageSchema.parse(response.body);
      expect(body.entries.map((entry) => entry.path)).toEqual([
        "README.md",
        "big.txt",
        "logo.png",
        "src/a.ts",
        "src/c.ts",
      ]);
      expect(body.entries.find((entry) => entry.path === "logo.png")).toMatchObject({
        isBinary: true,
        omitted: "binary",
        size: PNG.length,
        syncId: first.sync.id,
      });
      expect(body.entries.find((entry) => entry.path === "README.md")).toMatchObject({
        syncId: second.sync.id,
      });
      expect(Object.fromEntries(body.entries.map((e) => [e.path, `${e.mode} ${e.blobSha}`]))).toEqual(
        treeOf(second.commit),
      );
    });

    it("filters by path prefix and pages with limit and cursor", async () => {
      const page1 = await memory({ path: "src/", limit: 1 });
      const page2 = await memory({ path: "src/", limit: 1, cursor: page1.body.nextCursor });

      expect(page1.body.entries.map((e: { path: string }) => e.path)).toEqual(["src/a.ts"]);
      expect(page1.body.nextCursor).toBe("src/a.ts");
      expect(page2.body).toEqual({
        entries: [expect.objectContaining({ path: "src/c.ts" })],
        nextCursor: null,
      });
    });

    it("takes the path prefix literally: _ and % are characters, not wildcards", async () => {
      const underscore = await memory({ path: "_" });
      const percent = await memory({ path: "%" });
      const inFolder = await memory({ path: "src/_" });

      expect([underscore.body.entries, percent.body.entries, inFolder.body.entries]).toEqual([[], [], []]);
    });

    it("gives the memory as it was at a past sync with asOf", async () => {
      const response = await memory({ asOf: first.sync.id, branch: "main" });

      const body = memoryPageSchema.parse(response.body);
      expect(Object.fromEntries(body.entries.map((e) => [e.path, `${e.mode} ${e.blobSha}`]))).toEqual(
        treeOf(first.commit),
      );
    });

    it("answers bad input with 400 and unknown things with 404", async () => {
      expectError(await memory({ limit: 5001 }), 400, "BAD_INPUT");
      expectError(await memory({ asOf: "yesterday" }), 400, "BAD_INPUT");
      expectError(await memory({ depth: 1 }), 400, "BAD_INPUT");
      expectError(await memory({ asOf: UNKNOWN_ID }), 404, "SYNC_NOT_FOUND");
      expectError(await memory({ branch: "dev" }), 404, "BRANCH_NOT_FOUND");
      expectError(await request(app).get("/api/v1/repos/octo-org/nope/memory"), 404, "REPOSITORY_NOT_FOUND");
    });
  });

  describe("GET /repos/:owner/:repo/memory/file", () => {
    const file = (query: Record<string, string>) =>
      request(app).get("/api/v1/repos/octo-org/hello-world/memory/file").query(query);

    it("answers one file with its content, now or as of a past sync", async () => {
      const now = await file({ path: "README.md" });
      const then = await file({ path: "README.md", asOf: first.sync.id });
      const removed = await file({ path: "src/b.ts", asOf: first.sync.id });

      expect(now.status).toBe(200);
      expect(memoryFileSchema.parse(now.body)).toMatchObject({ path: "README.md", content: "hello again\n" });
      expect(memoryFileSchema.parse(then.body)).toMatchObject({ content: "hello\n", syncId: first.sync.id });
      expect(removed.body).toMatchObject({ path: "src/b.ts", content: "export const b = 2;\n" });
    });

    it("gives null content and the reason for binary and too-large files", async () => {
      const binary = await file({ path: "logo.png" });
      const large = await file({ path: "big.txt" });

      expect([binary.body.content, binary.body.omitted]).toEqual([null, "binary"]);
      expect([large.body.content, large.body.omitted, large.body.size]).toEqual([null, "too_large", 100]);
    });

    it("answers a missing path with 400, an unknown file with 404", async () => {
      expectError(await file({}), 400, "BAD_INPUT");
      expectError(await file({ path: "src/b.ts" }), 404, "NOT_FOUND");
      expectError(await file({ path: "README.md", branch: "dev" }), 404, "BRANCH_NOT_FOUND");
    });
  });

  describe("GET /syncs/:from/compare/:to and /syncs/:syncId/changes", () => {
    const compare = (from: string, to: string, query: Record<string, string> = {}) =>
      request(app).get(`/api/v1/syncs/${from}/compare/${to}`).query(query);
    const changes = (syncId: string, query: Record<string, string> = {}) =>
      request(app).get(`/api/v1/syncs/${syncId}/changes`).query(query);
    const names = (body: unknown) =>
      syncComparisonSchema.parse(body).changes.map((change) => `${change.status} ${change.path}`);

    it("lists the changed paths between two syncs, in either order, with totals", async () => {
      const forward = await compare(first.sync.id, second.sync.id);
      const backward = await compare(second.sync.id, first.sync.id);

      expect(forward.status).toBe(200);
      expect(names(forward.body)).toEqual(["modified README.md", "removed src/b.ts", "added src/c.ts"]);
      expect(names(backward.body)).toEqual(["modified README.md", "added src/b.ts", "removed src/c.ts"]);
      expect(forward.body).toMatchObject({
        repository: "Octo-Org/hello-world",
        from: { id: first.sync.id, branch: "main", headSha: first.commit.sha, generation: 1 },
        to: { id: second.sync.id, headSha: second.commit.sha, generation: 2 },
        path: null,
        totals: { added: 1, removed: 1, modified: 1, mode: 0, type: 0, renamed: 0 },
        renames: { inexact: true, reason: null },
        nextCursor: null,
      });
      expect(forward.body.changes[0]).toEqual({
        status: "modified",
        path: "README.md",
        previousPath: null,
        similarity: null,
        old: { mode: "100644", blobSha: expect.any(String), size: 6, omitted: null },
        new: { mode: "100644", blobSha: expect.any(String), size: 12, omitted: null },
      });
    });

    it("pages by path and filters by prefix", async () => {
      const page1 = await compare(first.sync.id, second.sync.id, { limit: "2" });
      const page2 = await compare(first.sync.id, second.sync.id, {
        limit: "2",
        cursor: page1.body.nextCursor,
      });
      const src = await compare(first.sync.id, second.sync.id, { path: "src/" });

      expect([names(page1.body), page1.body.nextCursor]).toEqual([
        ["modified README.md", "removed src/b.ts"],
        "src/b.ts",
      ]);
      expect([names(page2.body), page2.body.nextCursor]).toEqual([["added src/c.ts"], null]);
      expect(page2.body.totals).toEqual(page1.body.totals);
      expect([names(src.body), src.body.path]).toEqual([["removed src/b.ts", "added src/c.ts"], "src/"]);
    });

    it("adds unified diffs with diff=true", async () => {
      const response = await compare(first.sync.id, second.sync.id, { diff: "true" });

      const patches = syncComparisonSchema.parse(response.body).changes.map((change) => change.patch);
      expect(patches[0]).toEqual({
        text: "--- a/README.md\n+++ b/README.md\n@@ -1,1 +1,1 @@\n-hello\n+hello again\n",
        truncated: false,
        omitted: null,
      });
      expect(patches[1]?.text).toContain("-export const b = 2;");
      expect(patches[2]?.text).toBe("--- /dev/null\n+++ b/src/c.ts\n@@ -0,0 +1,1 @@\n+c\n");
    });

    it("a sync's changes: against the previous sync, or everything added for the first; binary and too-large files named", async () => {
      const later = await changes(second.sync.id);
      const firstSync = await changes(first.sync.id, { diff: "true" });

      expect(later.body).toEqual((await compare(first.sync.id, second.sync.id)).body);
      expect(firstSync.status).toBe(200);
      const parsed = syncComparisonSchema.parse(firstSync.body);
      expect(parsed.from).toBeNull();
      expect(parsed.totals.added).toBe(5);
      const patchOf = (path: string) => parsed.changes.find((change) => change.path === path)?.patch;
      expect(patchOf("logo.png")).toEqual({ text: null, truncated: false, omitted: "binary" });
      expect(patchOf("big.txt")).toEqual({ text: null, truncated: false, omitted: "too_large" });
    });

    it("refuses malformed and unknown ids, bad pages and unknown parameters", async () => {
      expectError(await compare("nope", second.sync.id), 400, "BAD_INPUT");
      expectError(await compare(first.sync.id, UNKNOWN_ID), 404, "SYNC_NOT_FOUND");
      expectError(await changes(UNKNOWN_ID), 404, "SYNC_NOT_FOUND");
      expectError(await compare(first.sync.id, second.sync.id, { limit: "1001" }), 400, "BAD_INPUT");
      expectError(await compare(first.sync.id, second.sync.id, { diff: "yes" }), 400, "BAD_INPUT");
      expectError(await compare(first.sync.id, second.sync.id, { branch: "main" }), 400, "BAD_INPUT");
    });
  });

  describe("POST /repos/:owner/:repo/syncs", () => {
    it("queues a sync of the branch head for the worker (202), with a pending check run", async () => {
      const head = repo.commit({ "README.md": "third\n" });
      repo.expectBranchHead("main", head);
      calls.length = 0;

      const response = await request(app)
        .post("/api/v1/repos/octo-org/hello-world/syncs")
        .send({ full: true });

      expect(response.status).toBe(202);
      const sync = syncSchema.parse(response.body);
      expect(sync).toMatchObject({
        status: "queued",
        trigger: "manual",
        branch: "main",
        headSha: head.sha,
        full: true,
        requestedBy: "api",
      });
      const row = await deps.db.projectSync.findUniqueOrThrow({ where: { id: sync.id } });
      expect([row.inline, row.checkRunState]).toEqual([false, "pending"]);
      expect(calls).toEqual([`enqueued:${sync.id}`, "wake"]);
    });

    it("a second request supersedes the queued one, which needs no check run of its own", async () => {
      const queued = await deps.db.projectSync.findFirstOrThrow({ where: { status: "queued" } });
      repo.expectBranchHead("main", second.commit);
      calls.length = 0;

      const response = await request(app)
        .post("/api/v1/repos/octo-org/hello-world/syncs")
        .send({ branch: "main" });

      const superseded = await deps.db.projectSync.findUniqueOrThrow({ where: { id: queued.id } });
      expect(response.status).toBe(202);
      expect([superseded.status, superseded.supersededById]).toEqual(["cancelled", response.body.id]);
      // a full resync asked for earlier is kept
      expect(response.body.full).toBe(true);
      expect(superseded.checkRunState).toBeNull();
      expect(calls).toEqual([`enqueued:${response.body.id}`, `forget:${queued.id}`, "wake"]);
      await deps.db.projectSync.update({ where: { id: response.body.id }, data: { status: "cancelled" } });
    });

    it("answers a branch GitHub does not have with 404, writing nothing", async () => {
      repo.expectMissingBranch("gone");
      const before = await deps.db.projectSync.count();

      const response = await request(app)
        .post("/api/v1/repos/octo-org/hello-world/syncs")
        .send({ branch: "gone" });

      expectError(response, 404, "BRANCH_NOT_FOUND");
      expect(await deps.db.projectSync.count()).toBe(before);
    });

    it("answers a repository the app was uninstalled from with 409", async () => {
      github
        .api()
        .get("/repos/z-org/gone/branches/main")
        .reply(200, {
          name: "main",
          commit: { sha: "e".repeat(40), commit: { tree: { sha: "f".repeat(40) } } },
        });

      expectError(await request(app).post("/api/v1/repos/z-org/gone/syncs"), 409, "CONFLICT");
    });

    it.each([
      ["a wrong type", { full: "yes" }],
      ["an unknown field", { branch: "main", force: true }],
      ["an invalid branch name", { branch: "a..b" }],
      ["a non-object", [1, 2]],
    ])("answers a body with %s with 400 before asking GitHub", async (_what, body) => {
      expectError(
        await request(app).post("/api/v1/repos/octo-org/hello-world/syncs").send(body),
        400,
        "BAD_INPUT",
      );
    });

    it("answers malformed JSON and a body that is not JSON with 400", async () => {
      const url = "/api/v1/repos/octo-org/hello-world/syncs";
      const malformed = await request(app).post(url).set("Content-Type", "application/json").send("{ full: ");
      const text = await request(app).post(url).set("Content-Type", "text/plain").send("full=true");

      expectError(malformed, 400, "BAD_INPUT");
      expectError(text, 400, "BAD_INPUT");
      expect(text.body.error.message).toContain("application/json");
    });

    it("answers an unknown repository with 404", async () => {
      expectError(
        await request(app).post("/api/v1/repos/octo-org/nope/syncs").send({}),
        404,
        "REPOSITORY_NOT_FOUND",
      );
    });
  });

  describe("POST /syncs/:syncId/restore", () => {
    it("queues a restore for the worker (202), which puts the branch back to that sync's memory", async () => {
      calls.length = 0;

      const response = await request(app).post(`/api/v1/syncs/${first.sync.id}/restore`);

      expect(response.status).toBe(202);
      const restore = syncSchema.parse(response.body);
      expect(restore).toMatchObject({
        status: "queued",
        trigger: "restore",
        branch: "main",
        restoredFromSyncId: first.sync.id,
        requestedBy: "api",
      });
      expect((await deps.db.projectSync.findUniqueOrThrow({ where: { id: restore.id } })).inline).toBe(false);
      expect(calls).toEqual([`enqueued:${restore.id}`, "wake"]);

      const worker = createSyncWorker({ deps, concurrency: 1 });
      await worker.runUntilIdle();
      const done = await request(app).get(`/api/v1/syncs/${restore.id}`);
      expect(done.body).toMatchObject({ status: "succeeded", previousSyncId: second.sync.id });
      expect(await memoryOf(deps, repository)).toEqual(treeOf(first.commit));
    });

    it("supersedes the branch's queued syncs, and refuses a repository the app was uninstalled from", async () => {
      const queued = await deps.db.projectSync.create({
        data: { repositoryId: repository.id, branch: "main", trigger: "manual", headSha: "c".repeat(40) },
      });

      const response = await request(app).post(`/api/v1/syncs/${first.sync.id}/restore`);

      expect(response.status).toBe(202);
      expect(await deps.db.projectSync.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({
        status: "cancelled",
        errorCode: "SUPERSEDED",
        supersededById: response.body.id,
      });
      await deps.db.projectSync.update({ where: { id: response.body.id }, data: { status: "cancelled" } });
      await deps.db.repository.update({ where: { id: repository.id }, data: { active: false } });
      const refused = await request(app).post(`/api/v1/syncs/${first.sync.id}/restore`);
      await deps.db.repository.update({ where: { id: repository.id }, data: { active: true } });
      expectError(refused, 409, "CONFLICT");
    });

    it("answers unknown, malformed and unsuccessful syncs and bodies with fields", async () => {
      const failed = await deps.db.projectSync.create({
        data: { repositoryId: repository.id, branch: "main", trigger: "manual", status: "failed" },
      });

      expectError(await request(app).post(`/api/v1/syncs/${UNKNOWN_ID}/restore`), 404, "SYNC_NOT_FOUND");
      expectError(await request(app).post("/api/v1/syncs/123/restore"), 400, "BAD_INPUT");
      expectError(await request(app).post(`/api/v1/syncs/${failed.id}/restore`), 400, "BAD_INPUT");
      expectError(
        await request(app).post(`/api/v1/syncs/${first.sync.id}/restore`).send({ branch: "main" }),
        400,
        "BAD_INPUT",
      );
    });
  });

  describe("GET /events/project-sync/:syncId", () => {
    it("hands a valid sync id to the SSE handler and refuses a malformed one", async () => {
      calls.length = 0;

      const stream = await request(app).get(`/api/v1/events/project-sync/${first.sync.id}`);
      const malformed = await request(app).get("/api/v1/events/project-sync/nope");

      expect([stream.status, stream.headers["content-type"]]).toEqual([
        200,
        expect.stringMatching(/^text\/event-stream/),
      ]);
      expect(calls).toEqual([`events:${first.sync.id}`]);
      expectError(malformed, 400, "BAD_INPUT");
    });
  });

  it("answers unknown API paths and methods with the JSON 404", async () => {
    expectError(await request(app).get("/api/v1/nope"), 404, "NOT_FOUND");
    expectError(await request(app).delete(`/api/v1/syncs/${first.sync.id}`), 404, "NOT_FOUND");
  });
});
