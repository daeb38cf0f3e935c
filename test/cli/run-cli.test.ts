import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { runCli } from "../../src/cli/run-cli.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import type { MemoryEntryView } from "../../src/memory/memory-entry-view.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import { type FakeCommit, FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { testOctokit, useNockGitHub } from "../helpers/nock-github.js";
import { treeOf } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

/** stdout or stderr of one CLI run, kept in memory. */
class Capture {
  text = "";
  columns = 100;
  constructor(readonly isTTY = false) {}
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

type CliRun = { code: number; stdout: string; stderr: string; connects: number; closes: number };

type CliOptions = {
  env?: NodeJS.ProcessEnv;
  githubFor?: (repository: { owner: string; name: string }) => Promise<GitHubClient | null>;
  /** false: the real connectDatabase, from env */
  useTestDatabase?: boolean;
  tty?: boolean;
};

describe("runCli", () => {
  const github = useNockGitHub();
  let database: TestDatabase;
  let repo: FakeGitHubRepo;
  let clock: number;
  const octokit = testOctokit();

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.repository.deleteMany();
    repo = new FakeGitHubRepo();
    clock = Date.now();
  });

  /** Runs the CLI against the test database and nock'd GitHub; every clock reading is one second later. */
  async function cli(argv: string[], options: CliOptions = {}): Promise<CliRun> {
    const stdout = new Capture();
    const stderr = new Capture(options.tty);
    let connects = 0;
    let closes = 0;
    const code = await runCli(argv, {
      env: options.env ?? {},
      stdout,
      stderr,
      deps: {
        githubFor: options.githubFor ?? (async () => octokit),
        now: () => {
          clock += 1000;
          return new Date(clock);
        },
        ...(options.useTestDatabase === false
          ? {}
          : {
              connect: async () => {
                connects += 1;
                const close = async () => {
                  closes += 1;
                };
                return { db: database.db, close };
              },
            }),
      },
    });
    return { code, stdout: stdout.text, stderr: stderr.text, connects, closes };
  }

  /** `sync --json` of the default branch at `commit`, with the four requests a first or changed sync makes. */
  async function syncAt(commit: FakeCommit, options: { fetches?: boolean } = {}): Promise<SyncView> {
    repo.expectRepository();
    repo.expectBranchHead("main", commit);
    repo.expectTree(commit);
    if (options.fetches !== false) repo.expectBlobQuery();
    const run = await cli(["sync", repo.fullName, "--json"]);
    expect(run).toMatchObject({ code: 0, connects: 1, closes: 1 });
    return JSON.parse(run.stdout) as SyncView;
  }

  async function memoryJson(...args: string[]): Promise<MemoryEntryView[]> {
    const run = await cli(["memory", repo.fullName, "--json", ...args]);
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { entries: MemoryEntryView[] }).entries;
  }

  function asTree(entries: MemoryEntryView[]): Record<string, string> {
    return Object.fromEntries(entries.map((entry) => [entry.path, `${entry.mode} ${entry.blobSha}`]));
  }

  describe("sync", () => {
    it("--json runs a first sync and prints exactly one JSON document; phases go to stderr", async () => {
      const commit = repo.commit({ "README.md": "# hello\n", "src/a.ts": "a\n", "src/b.ts": "b\n" });
      repo.expectRepository();
      repo.expectBranchHead("main", commit);
      repo.expectTree(commit);
      repo.expectBlobQuery();

      const run = await cli(["sync", repo.fullName, "--json"]);

      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        id: expect.any(String),
        repository: "octo-org/hello-world",
        status: "succeeded",
        trigger: "manual",
        branch: "main",
        headSha: commit.sha,
        baseSha: null,
        previousSyncId: null,
        counts: { added: 3, modified: 0, removed: 0, renamed: 0, unchanged: 0 },
        stats: { filesFetched: 3, githubRequests: 2 },
        error: null,
      });
      expect(run.stderr.split("\n").filter((line) => line.startsWith("["))).toEqual([
        "[1/4] resolve",
        "[2/4] diff",
        "[3/4] fetch: 3 files to fetch",
        "[4/4] finalize",
      ]);
    });

    it("prints a readable sync as aligned key: value lines, and a progress bar on a terminal that it clears", async () => {
      const commit = repo.commit({ "a.txt": "a\n", "b.txt": "b\n" });
      repo.expectRepository();
      repo.expectBranchHead("main", commit);
      repo.expectTree(commit);
      repo.expectBlobQuery();

      const run = await cli(["sync", repo.fullName], { tty: true });

      expect(run.code).toBe(0);
      const lines = run.stdout.split("\n");
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^id: {9}[0-9a-f-]{36}$/),
          "repository: octo-org/hello-world",
          "branch:     main",
          "status:     succeeded",
          "trigger:    manual",
          `head:       ${commit.sha}`,
          "base:       -",
          "previous:   -",
          "counts:     +2 ~0 -0 >0 =0",
          "requests:   2",
          expect.stringMatching(/^duration: {3}\d/),
          "error:      -",
        ]),
      );
      expect(run.stderr).toContain("[3/4] fetch");
      expect(run.stderr).toMatch(/\[█*░*\] {2}\d\/2/);
      expect(run.stderr.endsWith("\r\x1b[2K")).toBe(true);
    });

    it("a second sync diffs against the first and links to it", async () => {
      const first = await syncAt(repo.commit({ "a.txt": "a\n", "b.txt": "b\n" }));
      const commit = repo.commit({ "a.txt": "a changed\n", "c.txt": "b\n" });

      const second = await syncAt(commit);

      expect(second).toMatchObject({
        status: "succeeded",
        previousSyncId: first.id,
        baseSyncId: first.id,
        baseSha: first.headSha,
        counts: { added: 0, modified: 1, removed: 0, renamed: 1, unchanged: 0 },
      });
    });

    it("exits 1 and prints the failed sync when GitHub fails mid-sync", async () => {
      const commit = repo.commit({ "a.txt": "a\n" });
      repo.expectRepository();
      repo.expectBranchHead("main", commit);
      repo.expectTree(commit, { status: 500 });

      const run = await cli(["sync", repo.fullName, "--json"]);

      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({
        status: "failed",
        error: { code: "GITHUB_UNAVAILABLE", message: expect.stringContaining("GitHub is unavailable") },
      });
      expect(run.closes).toBe(1);
    });

    it("reports an unknown repository with exit 1", async () => {
      github.api().get("/repos/octo-org/missing").reply(404, { message: "Not Found" });

      const run = await cli(["sync", "octo-org/missing", "--json"]);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain("error: GitHub found no repository octo-org/missing");
      expect(JSON.parse(run.stdout)).toEqual({
        error: { code: "REPOSITORY_NOT_FOUND", message: expect.stringContaining("octo-org/missing") },
      });
    });

    it("reports an unknown branch with exit 1 and writes no sync", async () => {
      repo.expectRepository();
      repo.expectMissingBranch("nope");

      const run = await cli(["sync", repo.fullName, "--branch", "nope"]);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain('error: GitHub found no branch "nope" of octo-org/hello-world');
      expect(await database.db.projectSync.count()).toBe(0);
    });

    it("without credentials names GITHUB_TOKEN and APP_ID, and does not open the database", async () => {
      const run = await cli(["sync", repo.fullName, "--json"], { githubFor: async () => null });

      expect(run).toMatchObject({ code: 1, connects: 0 });
      expect(run.stderr).toMatch(/^error: No GitHub credentials: set GITHUB_TOKEN .* APP_ID and PRIVATE_KEY/);
      expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "MISSING_CREDENTIALS" } });
    });
  });

  describe("status, history, memory, restore", () => {
    let first: SyncView;
    let second: SyncView;
    let firstCommit: FakeCommit;
    let secondCommit: FakeCommit;

    beforeEach(async () => {
      firstCommit = repo.commit({ "README.md": "v1\n", "src/a.ts": "a\n", "src/b.ts": "b\n" });
      first = await syncAt(firstCommit);
      secondCommit = repo.commit({ "README.md": "v2\n", "src/a.ts": "a\n", "docs/guide.md": "guide\n" });
      second = await syncAt(secondCommit);
    });

    it("status --json prints the sync", async () => {
      const run = await cli(["status", first.id, "--json"]);

      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(first);
    });

    it("history --json lists every sync newest first with its lineage; --limit and --branch narrow it", async () => {
      const all = await cli(["history", repo.fullName, "--json"]);
      const limited = await cli(["history", repo.fullName, "--json", "--limit", "1"]);
      const otherBranch = await cli(["history", repo.fullName, "--json", "--branch", "dev"]);

      expect(all.code).toBe(0);
      expect(JSON.parse(all.stdout)).toEqual({
        syncs: [
          expect.objectContaining({ id: second.id, previousSyncId: first.id, baseSyncId: first.id }),
          expect.objectContaining({ id: first.id, previousSyncId: null, baseSyncId: null }),
        ],
      });
      expect(JSON.parse(limited.stdout)).toEqual({ syncs: [expect.objectContaining({ id: second.id })] });
      expect(JSON.parse(otherBranch.stdout)).toEqual({ syncs: [] });
    });

    it("memory --json lists every entry, filters by --path, and shows a past state with --as-of", async () => {
      const current = await memoryJson();
      const underSrc = await memoryJson("--path", "src/");
      const asOfFirst = await memoryJson("--as-of", first.id);

      expect(asTree(current)).toEqual(treeOf(secondCommit));
      expect(current[0]).toEqual({
        path: "README.md",
        mode: "100644",
        blobSha: expect.stringMatching(/^[0-9a-f]{40}$/),
        size: 3,
        isBinary: false,
        omitted: null,
        syncId: second.id,
      });
      expect(underSrc.map((entry) => entry.path)).toEqual(["src/a.ts"]);
      expect(asTree(asOfFirst)).toEqual(treeOf(firstCommit));
    });

    it("restore --json puts memory back to the state after an earlier sync, as a new sync", async () => {
      const run = await cli(["restore", first.id, "--json"]);

      expect(run.code).toBe(0);
      const restore = JSON.parse(run.stdout) as SyncView;
      expect(restore).toMatchObject({
        status: "succeeded",
        trigger: "restore",
        restoredFromSyncId: first.id,
        previousSyncId: second.id,
        headSha: firstCommit.sha,
        counts: { added: 1, modified: 1, removed: 1, renamed: 0, unchanged: 1 },
      });
      expect(asTree(await memoryJson())).toEqual(treeOf(firstCommit));
      expect(JSON.parse((await cli(["history", repo.fullName, "--json"])).stdout).syncs[0].id).toBe(
        restore.id,
      );
    });

    it("prints readable status, history and memory", async () => {
      const status = await cli(["status", second.id]);
      const history = await cli(["history", repo.fullName]);
      const memory = await cli(["memory", repo.fullName, "--path", "src/"]);
      const empty = await cli(["memory", repo.fullName, "--path", "nothing/"]);

      expect(status.stdout).toContain(`previous:   ${first.id}\n`);
      expect(status.stdout).toContain("counts:     +1 ~1 -1 >0 =1\n");
      expect(history.stdout.split("\n")).toEqual([
        expect.stringMatching(/^ID {36}CREATED {15}BRANCH {2}STATUS {5}TRIGGER {2}HEAD {5}CHANGES$/),
        expect.stringMatching(
          new RegExp(
            `^${second.id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ  main    succeeded  manual   ${secondCommit.sha.slice(0, 7)}  \\+1 ~1 -1 >0 =1$`,
          ),
        ),
        expect.stringMatching(new RegExp(`^${first.id}  .*  \\+3 ~0 -0 >0 =0$`)),
        "",
      ]);
      expect(memory.stdout).toBe("MODE          SIZE  PATH\n100644           2  src/a.ts\n");
      expect(empty.stdout).toBe("No entries in the memory of octo-org/hello-world@main under nothing/.\n");
    });
  });

  describe("diff and show", () => {
    let first: SyncView;
    let second: SyncView;
    const moved = `${"line of text that stays the same\n".repeat(12)}`;

    beforeEach(async () => {
      first = await syncAt(
        repo.commit({
          "README.md": "v1\n",
          "src/a.ts": "a\n",
          "src/old.ts": moved,
          "run.sh": "echo\n",
          "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
          "crlf.txt": "one\r\ntwo\r\n",
        }),
      );
      second = await syncAt(
        repo.commit({
          "README.md": "v2\n",
          "src/a.ts": "a\n",
          "lib/new.ts": `${moved}one more line\n`,
          "run.sh": { content: "echo\n", mode: "100755" },
          "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x02]),
          "crlf.txt": "one\r\ntwo\r\n",
        }),
      );
    });

    it("diff prints name-status lines as git does: M, R with similarity, mode-only as M", async () => {
      const run = await cli(["diff", first.id, second.id]);
      const reverse = await cli(["diff", second.id, first.id, "--path", "src/"]);

      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toBe("M\tREADME.md\nR096\tsrc/old.ts\tlib/new.ts\nM\tlogo.png\nM\trun.sh\n");
      expect(reverse.stdout).toBe("A\tsrc/old.ts\n");
    });

    it("diff --patch prints git-like headers and unified diffs; binary files are named", async () => {
      const run = await cli(["diff", first.id, second.id, "--patch"]);

      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1,1 +1,1 @@\n-v1\n+v2\n",
      );
      expect(run.stdout).toContain(
        "diff --git a/src/old.ts b/lib/new.ts\nsimilarity index 96%\nrename from src/old.ts\nrename to lib/new.ts\n--- a/src/old.ts\n+++ b/lib/new.ts\n",
      );
      expect(run.stdout).toContain("+one more line\n");
      expect(run.stdout).toContain("diff --git a/logo.png b/logo.png\n(no patch: binary)\n");
      expect(run.stdout).toContain(
        "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n--- a/run.sh\n",
      );
    });

    it("diff --json prints one document with totals and every change", async () => {
      const run = await cli(["diff", first.id, second.id, "--json"]);

      expect(run.code).toBe(0);
      const document = JSON.parse(run.stdout);
      expect(document).toMatchObject({
        repository: "octo-org/hello-world",
        from: { id: first.id },
        to: { id: second.id },
        totals: { added: 0, removed: 0, modified: 2, mode: 1, type: 0, renamed: 1 },
        renames: { inexact: true, reason: null },
      });
      expect(document.changes.map((change: { status: string }) => change.status)).toEqual([
        "modified",
        "renamed",
        "modified",
        "mode",
      ]);
    });

    it("show prints the stored bytes of a file, now or as of a sync; binary files exit 1 naming why", async () => {
      const now = await cli(["show", repo.fullName, "README.md"]);
      const then = await cli(["show", repo.fullName, "src/old.ts", "--as-of", first.id]);
      const crlf = await cli(["show", repo.fullName, "crlf.txt"]);
      const binary = await cli(["show", repo.fullName, "logo.png"]);
      const json = await cli(["show", repo.fullName, "logo.png", "--json"]);
      const missing = await cli(["show", repo.fullName, "src/old.ts"]);

      expect([now.code, now.stdout]).toEqual([0, "v2\n"]);
      expect([then.code, then.stdout]).toEqual([0, moved]);
      expect(crlf.stdout).toBe("one\r\ntwo\r\n");
      expect([binary.code, binary.stdout]).toEqual([1, ""]);
      expect(binary.stderr).toMatch(
        /^error: memory keeps no content for logo\.png: it is binary \(6 bytes, 100644 [0-9a-f]{40}\)\.\n$/,
      );
      expect(JSON.parse(json.stdout)).toMatchObject({ path: "logo.png", content: null, omitted: "binary" });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("src/old.ts is not in the memory of main");
    });

    it("bad arguments are usage errors (exit 2); unknown or failed syncs exit 1", async () => {
      const failed = await database.db.projectSync.create({
        data: {
          repositoryId: (await database.db.repository.findFirstOrThrow()).id,
          branch: "main",
          trigger: "manual",
          status: "failed",
        },
      });

      expect((await cli(["diff", first.id])).code).toBe(2);
      expect((await cli(["diff", first.id, "nope"])).code).toBe(2);
      expect((await cli(["diff", first.id, second.id, "--branch", "x"])).code).toBe(2);
      expect((await cli(["show", repo.fullName])).code).toBe(2);
      expect((await cli(["show", repo.fullName, "a", "b"])).code).toBe(2);
      const unknown = await cli(["diff", first.id, "00000000-0000-4000-8000-000000000000", "--json"]);
      expect([unknown.code, JSON.parse(unknown.stdout).error.code]).toEqual([1, "SYNC_NOT_FOUND"]);
      const notSucceeded = await cli(["diff", first.id, failed.id]);
      expect(notSucceeded.code).toBe(1);
      expect(notSucceeded.stderr).toContain(`Sync ${failed.id} is failed`);
    });
  });

  describe("large listings", () => {
    it("history prints all syncs, past the service's page size, and memory all entries, past its page size", async () => {
      const repository = await database.db.repository.create({
        data: { key: "octo-org/hello-world", owner: "octo-org", name: "hello-world", defaultBranch: "main" },
      });
      const start = Date.now();
      const ids = Array.from({ length: 520 }, () => randomUUID());
      await database.db.projectSync.createMany({
        data: ids.map((id, index) => ({
          id,
          repositoryId: repository.id,
          branch: "main",
          trigger: "push" as const,
          status: "succeeded" as const,
          generation: index + 1,
          createdAt: new Date(start + index * 1000),
        })),
      });
      const sha = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
      await database.db.repositoryFile.create({
        data: { repositoryId: repository.id, sha, kind: "blob", size: 0, isBinary: false, content: "" },
      });
      const paths = Array.from({ length: 2500 }, (_, index) => `file-${String(index).padStart(4, "0")}.txt`);
      await database.db.memoryEntry.createMany({
        data: paths.map((path) => ({
          repositoryId: repository.id,
          branch: "main",
          path,
          mode: "100644",
          blobSha: sha,
          syncId: ids[0] as string,
          validFrom: 1,
        })),
      });

      const history = await cli(["history", repo.fullName, "--json"]);
      const memory = await cli(["memory", repo.fullName, "--json"]);
      const table = await cli(["memory", repo.fullName]);

      expect(JSON.parse(history.stdout).syncs.map((sync: SyncView) => sync.id)).toEqual([...ids].reverse());
      expect(JSON.parse(memory.stdout).entries.map((entry: MemoryEntryView) => entry.path)).toEqual(paths);
      expect(table.stdout.split("\n")).toHaveLength(1 + 2500 + 1);
    });
  });

  describe("errors", () => {
    it.each([
      [["sync", "not-a-repo"], '"not-a-repo" is not a repository name'],
      [["history", "a/b/c"], '"a/b/c" is not a repository name'],
      [["status", "12345"], '"12345" is not a sync id'],
      [["memory", "octo-org/x", "--as-of", "yesterday"], '"yesterday" is not a sync id'],
      [["history", "octo-org/x", "--limit", "0"], "--limit must be a whole number"],
      [["sync", "octo-org/x", "--branch", "bad..name"], '"bad..name" is not a valid branch name'],
      [["deploy", "octo-org/x"], 'unknown command "deploy"'],
      [["sync", "octo-org/x", "--dry-run"], "Unknown option '--dry-run'"],
      [["sync", "octo-org/x", "--force"], "sync does not take --force"],
      [["status", randomUUID(), "--full"], "status does not take --full"],
      [["restore"], "restore needs <sync-id>"],
      [["memory", "octo-org/x", "extra"], 'memory takes one <owner/repo>; got also "extra"'],
    ])("%j is a usage error: exit 2, no database", async (argv, message) => {
      const run = await cli([...argv, "--json"]);

      expect(run).toMatchObject({ code: 2, connects: 0 });
      expect(run.stderr).toContain(`error: ${message}`);
      expect(run.stderr).toContain('Run "project-sync help" for usage.');
      expect(JSON.parse(run.stdout)).toEqual({ error: { code: "BAD_INPUT", message: expect.any(String) } });
    });

    it.each([["status"], ["restore"]])("%s of an unknown sync id exits 1", async (command) => {
      const id = randomUUID();

      const run = await cli([command, id]);

      expect(run).toMatchObject({ code: 1, stdout: "", closes: 1 });
      expect(run.stderr).toBe(`error: No sync with id ${id}.\n`);
    });

    it("history of a repository never synced exits 1 and says to sync it first", async () => {
      const run = await cli(["history", "octo-org/unknown", "--json"]);

      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toEqual({
        error: {
          code: "REPOSITORY_NOT_FOUND",
          message: "octo-org/unknown has never been synced; run a sync of it first.",
        },
      });
    });

    it("an unreachable database exits 1 with a message naming DATABASE_URL, without the password", async () => {
      const run = await cli(["history", repo.fullName, "--json"], {
        env: { DATABASE_URL: "postgresql://postgres:s3cret@127.0.0.1:1/none" },
        useTestDatabase: false,
      });

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^error: Cannot reach the database at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none/,
      );
      expect(run.stderr).toContain("Check DATABASE_URL");
      expect(run.stderr + run.stdout).not.toContain("s3cret");
      expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "DATABASE_UNAVAILABLE" } });
    });

    it("an unexpected error prints its message only, and its stack with DEBUG", async () => {
      const githubFor = async () => {
        throw new TypeError("boom");
      };

      const plain = await cli(["sync", repo.fullName], { githubFor });
      const debug = await cli(["sync", repo.fullName], { githubFor, env: { DEBUG: "1" } });

      expect(plain.code).toBe(1);
      expect(plain.stderr).toBe(
        "error: boom\nThis is unexpected; run again with DEBUG=1 to see where it happened.\n",
      );
      expect(debug.stderr).toMatch(/^error: boom\nTypeError: boom\n {4}at /);
    });
  });

  describe("deliveries and retry", () => {
    beforeEach(async () => {
      await database.db.webhookDelivery.deleteMany();
      const at = new Date(clock - 60_000);
      await database.db.webhookDelivery.createMany({
        data: [
          {
            id: "ok-1",
            event: "push",
            status: "processed",
            receivedAt: at,
            runAfter: at,
            processedAt: at,
            attempts: 1,
          },
          {
            id: "parked-1",
            event: "issue_comment",
            action: "created",
            status: "parked",
            payload: "{}",
            receivedAt: new Date(clock - 30_000),
            runAfter: at,
            attempts: 8,
            errorCode: "GITHUB_UNAVAILABLE",
            error: "GitHub answered 502",
          },
        ],
      });
    });

    it("lists the parked deliveries with their error, and the inbox's state", async () => {
      const table = await cli(["deliveries", "--status", "parked"]);
      const json = await cli(["deliveries", "--json"]);

      expect(table.code).toBe(0);
      expect(table.stdout.split("\n")[0]).toBe("Inbox: 0 pending, 0 processing, 1 parked");
      expect(table.stdout).toContain("parked-1");
      expect(table.stdout).toContain("issue_comment.created");
      expect(table.stdout).toContain("GITHUB_UNAVAILABLE: GitHub answered 502");
      expect(table.stdout).not.toContain("ok-1");
      expect(
        (JSON.parse(json.stdout) as { deliveries: { id: string }[] }).deliveries.map((d) => d.id),
      ).toEqual(["parked-1", "ok-1"]);
    });

    it("retry queues a parked delivery again; a processed one exits 1; a bad id or status is a usage error", async () => {
      const retried = await cli(["retry", "parked-1", "--json"]);
      const done = await cli(["retry", "ok-1"]);
      const badId = await cli(["retry", "not a guid"]);
      const badStatus = await cli(["deliveries", "--status", "lost"]);

      expect(retried.code).toBe(0);
      expect(JSON.parse(retried.stdout)).toMatchObject({ id: "parked-1", status: "pending", attempts: 0 });
      expect(done).toMatchObject({
        code: 1,
        stderr: "error: Delivery ok-1 is processed; only a parked or pending delivery can be retried.\n",
      });
      expect(badId.code).toBe(2);
      expect(badStatus.code).toBe(2);
      expect(badStatus.stderr).toContain("--status must be one of pending, processing, processed, parked");
    });
  });

  describe("help", () => {
    it.each([[["help"]], [["--help"]], [["sync", "-h"]]])(
      "%j prints the usage on stdout, exit 0",
      async (argv) => {
        const run = await cli(argv);

        expect(run).toMatchObject({ code: 0, stderr: "", connects: 0 });
        expect(run.stdout).toMatch(/^Usage: project-sync <command> \[options\]\n/);
      },
    );

    it("no command prints the usage on stderr, exit 2", async () => {
      const run = await cli([]);

      expect(run).toMatchObject({ code: 2, stdout: "" });
      expect(run.stderr).toMatch(/^Usage: project-sync/);
    });

    it("the real process prints the usage and exits 0", async () => {
      const root = fileURLToPath(new URL("../..", import.meta.url));
      const { NODE_OPTIONS: _ignored, ...env } = process.env;

      const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["src/cli/main.ts", "--help"], {
        cwd: root,
        env,
      });

      expect(stdout).toMatch(/^Usage: project-sync <command> \[options\]\n/);
    });
  });
});
