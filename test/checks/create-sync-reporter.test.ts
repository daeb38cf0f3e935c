import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { FULL_RESYNC_ACTION } from "../../src/checks/build-check-run-request.js";
import { type CreateSyncReporterOptions, createSyncReporter } from "../../src/checks/create-sync-reporter.js";
import { createGitHubWriteBudget } from "../../src/checks/github-write-budget.js";
import { createPrismaClient } from "../../src/db/create-prisma-client.js";
import type { Prisma, ProjectSync, Repository } from "../../src/generated/prisma/client.js";
import type { Logger } from "../../src/logger.js";
import type { SyncReporter } from "../../src/queue/sync-reporter.js";
import type { SyncEvent } from "../../src/sync/sync-event.js";
import { FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { testOctokit, useNockGitHub } from "../helpers/nock-github.js";
import { createRepositoryRow, serviceDeps, syncCommit } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const REPO = "/repos/octo-org/hello-world";
const HEAD = "1".repeat(40);
const LEASE_MS = 60_000;

describe("createSyncReporter", () => {
  const github = useNockGitHub();
  const octokit = testOctokit();
  let database: TestDatabase;
  let repository: Repository;
  let clock: number;
  let warnings: string[];
  let errors: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.repository.deleteMany();
    repository = await createRepositoryRow(serviceDeps(database), new FakeGitHubRepo());
    clock = Date.parse("2026-11-25T12:00:00.000Z");
    warnings = [];
    errors = [];
  });

  const log: Logger = {
    debug() {},
    info() {},
    warn: (message) => warnings.push(message),
    error: (message) => errors.push(message),
  };

  function reporter(overrides: Partial<CreateSyncReporterOptions> = {}): SyncReporter {
    return createSyncReporter({
      db: database.db,
      githubFor: async () => octokit,
      log,
      now: () => new Date(clock),
      leaseMs: LEASE_MS,
      updateIntervalMs: 5000,
      progressDelayMs: 0,
      queuedCheckDelayMs: 0,
      ...overrides,
    });
  }

  async function makeSync(data: Partial<Prisma.ProjectSyncUncheckedCreateInput> = {}): Promise<ProjectSync> {
    return database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "main",
        trigger: "push",
        headSha: HEAD,
        checkRunState: "pending",
        createdAt: new Date(clock - 10_000),
        ...data,
      },
    });
  }

  async function row(id: string): Promise<ProjectSync> {
    return database.db.projectSync.findUniqueOrThrow({ where: { id } });
  }

  function event(sync: ProjectSync, overrides: Partial<SyncEvent> = {}): SyncEvent {
    return {
      type: "progress",
      syncId: sync.id,
      status: "running",
      phase: "fetch",
      counts: { added: 2, modified: 0, removed: 0, renamed: 0, unchanged: 0 },
      progress: { done: 1, total: 2 },
      error: null,
      at: new Date(clock).toISOString(),
      ...overrides,
    };
  }

  const checkRunCreated = (id = 4242) => github.api().post(`${REPO}/check-runs`).reply(201, { id });
  const checkRunsListed = (runs: { id: number; external_id: string; status: string }[]) =>
    github
      .api()
      .get(`${REPO}/commits/${HEAD}/check-runs`)
      .query(true)
      .reply(200, { total_count: runs.length, check_runs: runs });
  const checkRunUpdated = (id = 4242, status = 200) =>
    github
      .api()
      .patch(`${REPO}/check-runs/${id}`)
      .reply(status, status < 300 ? { id } : { message: "Server Error" });

  it("a push sync's check run: created queued, in_progress on every phase change, completed success with the changed paths", async () => {
    // A real sync writes the memory the summary lists; its row is then wound back to replay its life.
    const repo = new FakeGitHubRepo();
    const deps = serviceDeps(database, { now: () => new Date(clock) });
    const commit = repo.commit({ "README.md": "# hi\n", "src/a|b.ts": "a\n", "src/`tick`.ts": "b\n" });
    repo.expectTree(commit);
    repo.expectBlobQuery();
    const real = await syncCommit(deps, { repository, commit });
    const finished = await row(real.sync.id);
    await database.db.projectSync.update({
      where: { id: finished.id },
      data: { status: "queued", phase: null, startedAt: null, finishedAt: null, checkRunState: "pending" },
    });
    const reports = reporter({ publicUrl: "https://sync.example.com" });
    checkRunCreated();
    checkRunUpdated();
    checkRunUpdated();
    checkRunUpdated();
    checkRunUpdated();
    checkRunUpdated();

    reports.enqueued(finished.id);
    await reports.idle();
    await database.db.projectSync.update({
      where: { id: finished.id },
      data: { status: "running", startedAt: finished.startedAt },
    });
    for (const progress of real.events.filter((item) => item.status === "running")) {
      reports.event(finished.id, progress);
      await reports.idle();
    }
    await database.db.projectSync.update({
      where: { id: finished.id },
      data: { status: "succeeded", phase: "finalize", finishedAt: finished.finishedAt },
    });
    reports.settled(finished.id);
    await reports.idle();

    const requests = github.requests();
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST ${REPO}/check-runs`,
      ...Array.from({ length: 5 }, () => `PATCH ${REPO}/check-runs/4242`),
    ]);
    expect(requests[0]?.body).toEqual({
      name: "Project Sync",
      head_sha: commit.sha,
      external_id: finished.id,
      details_url: `https://sync.example.com/syncs/${finished.id}`,
      status: "queued",
      output: { title: "Queued", summary: expect.stringContaining("**Queued** · branch `main`") },
      actions: [FULL_RESYNC_ACTION],
    });
    expect(
      requests.slice(1, 5).map((request) => (request.body as { output: { title: string } }).output.title),
    ).toEqual([
      `Reading the tree of ${commit.sha.slice(0, 7)}`,
      "Comparing with memory",
      "Fetching content: 0 of 3 files",
      "Writing memory",
    ]);
    expect(requests[1]?.body).toMatchObject({
      status: "in_progress",
      started_at: finished.startedAt?.toISOString(),
    });
    const completed = requests[5]?.body as { output: { summary: string } };
    expect(completed).toEqual({
      status: "completed",
      conclusion: "success",
      started_at: finished.startedAt?.toISOString(),
      completed_at: finished.finishedAt?.toISOString(),
      output: { title: "Synced 3 files: +3 ~0 −0", summary: expect.any(String) },
      actions: [FULL_RESYNC_ACTION],
    });
    expect(completed.output.summary).toContain(
      "### Changed paths (3)\n\n- added `README.md`\n- added ``src/`tick`.ts``\n- added `src/a|b.ts`",
    );
    expect(await row(finished.id)).toMatchObject({ checkRunId: 4242n, checkRunState: "completed" });
  });

  it("a failed sync completes its check run with failure and the error", async () => {
    const sync = await makeSync({
      status: "failed",
      phase: "fetch",
      errorCode: "GITHUB_UNAVAILABLE",
      error: "GitHub is unavailable (502)",
      checkRunId: 4242n,
      checkRunState: "open",
      finishedAt: new Date(clock - 1000),
    });
    checkRunUpdated();

    const reports = reporter();
    reports.settled(sync.id);
    await reports.idle();

    expect(github.requests()[0]?.body).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: {
        title: "Failed in fetch: GitHub is unavailable (502)",
        summary: expect.stringContaining("### Error: `GITHUB_UNAVAILABLE`"),
      },
    });
    expect((await row(sync.id)).checkRunState).toBe("completed");
  });

  it("a superseded sync completes neutral, naming the sync and commit that replaced it", async () => {
    const newer = await makeSync({ headSha: "2".repeat(40) });
    const older = await makeSync({
      status: "cancelled",
      errorCode: "SUPERSEDED",
      error: "Superseded by a newer request",
      supersededById: newer.id,
      checkRunId: 4242n,
      checkRunState: "open",
    });
    checkRunUpdated();

    const reports = reporter();
    reports.settled(older.id);
    await reports.idle();

    expect(github.requests()[0]?.body).toMatchObject({
      status: "completed",
      conclusion: "neutral",
      output: { title: `Superseded by a newer request (sync ${newer.id.slice(0, 8)} at 2222222)` },
    });
  });

  it("a superseded sync whose check run was never created gets one, completed at once", async () => {
    const newer = await makeSync({ headSha: "2".repeat(40) });
    const older = await makeSync({ status: "cancelled", errorCode: "SUPERSEDED", supersededById: newer.id });
    checkRunCreated();

    const reports = reporter();
    reports.settled(older.id);
    await reports.idle();

    expect(github.requests()[0]?.body).toMatchObject({
      head_sha: HEAD,
      status: "completed",
      conclusion: "neutral",
    });
    expect(await row(older.id)).toMatchObject({ checkRunId: 4242n, checkRunState: "completed" });
  });

  it("progress is throttled: one update per interval, but every phase change; a burst is coalesced to the newest", async () => {
    const sync = await makeSync({
      status: "running",
      phase: "fetch",
      startedAt: new Date(clock),
      checkRunId: 4242n,
      checkRunState: "open",
    });
    const reports = reporter();
    checkRunUpdated();
    checkRunUpdated();
    checkRunUpdated();

    reports.event(sync.id, event(sync, { type: "phase", phase: "diff", progress: null }));
    await reports.idle();
    clock += 1000;
    reports.event(sync.id, event(sync, { type: "phase", phase: "fetch", progress: { done: 0, total: 10 } }));
    await reports.idle();
    clock += 1000;
    reports.event(sync.id, event(sync, { progress: { done: 2, total: 10 } }));
    await reports.idle();
    clock += 4000;
    reports.event(sync.id, event(sync, { progress: { done: 3, total: 10 } }));
    reports.event(sync.id, event(sync, { progress: { done: 4, total: 10 } }));
    reports.event(sync.id, event(sync, { progress: { done: 5, total: 10 } }));
    await reports.idle();
    clock += 1000;
    reports.event(sync.id, event(sync, { type: "status", status: "succeeded" }));
    await reports.idle();

    const bodies = github
      .requests()
      .map((request) => request.body as { status: string; output: { title: string } });
    expect(bodies.map((body) => `${body.status}: ${body.output.title}`)).toEqual([
      "in_progress: Comparing with memory",
      "in_progress: Fetching content: 0 of 10 files",
      "in_progress: Fetching content: 5 of 10 files",
    ]);
    expect((await row(sync.id)).checkRunAt).toEqual(new Date(clock - 1000));
  });

  it("no progress update in a sync's first seconds: a quick sync's check run goes from queued to completed", async () => {
    const sync = await makeSync({
      status: "running",
      phase: "resolve",
      startedAt: new Date(clock),
      checkRunId: 4242n,
      checkRunState: "open",
    });
    const reports = reporter({ progressDelayMs: 60_000 });
    checkRunUpdated();

    reports.event(sync.id, event(sync, { type: "phase", phase: "diff", progress: null }));
    reports.event(sync.id, event(sync, { type: "phase", phase: "fetch", progress: { done: 0, total: 2 } }));
    await reports.idle();
    await database.db.projectSync.update({
      where: { id: sync.id },
      data: { status: "succeeded", phase: "finalize", finishedAt: new Date(clock + 500) },
    });
    reports.settled(sync.id);
    await reports.idle();

    expect(github.requests().map((request) => (request.body as { status: string }).status)).toEqual([
      "completed",
    ]);
  });

  it("a sync still running when the delay is over shows its newest phase, by a later event or by itself", async () => {
    const sync = await makeSync({
      status: "running",
      phase: "fetch",
      startedAt: new Date(clock),
      checkRunId: 4242n,
      checkRunState: "open",
    });
    checkRunUpdated();
    checkRunUpdated();

    const byEvent = reporter({ progressDelayMs: 3000 });
    byEvent.event(sync.id, event(sync, { type: "phase", phase: "diff", progress: null }));
    await byEvent.idle();
    clock += 3000;
    byEvent.event(sync.id, event(sync, { type: "phase", phase: "fetch", progress: { done: 1, total: 9 } }));
    await byEvent.idle();

    const byTimer = reporter({ progressDelayMs: 20 });
    byTimer.event(sync.id, event(sync, { type: "phase", phase: "fetch", progress: { done: 2, total: 9 } }));
    for (let waited = 0; github.requests().length < 2 && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await byTimer.idle();

    expect(
      github.requests().map((request) => (request.body as { output: { title: string } }).output.title),
    ).toEqual(["Fetching content: 1 of 9 files", "Fetching content: 2 of 9 files"]);
  });

  it("a progress event of a sync whose check run is not created yet creates it in_progress", async () => {
    const sync = await makeSync({ status: "running", phase: "resolve", startedAt: new Date(clock) });
    checkRunCreated();

    const reports = reporter();
    reports.event(sync.id, event(sync, { type: "phase", phase: "diff", progress: null }));
    await reports.idle();

    expect(github.requests()[0]?.body).toMatchObject({
      status: "in_progress",
      output: { title: "Comparing with memory" },
    });
    expect(await row(sync.id)).toMatchObject({ checkRunState: "open", checkRunId: 4242n });
  });

  it("no check run without a head commit, nor for a sync that has none", async () => {
    const headless = await makeSync({ headSha: null, trigger: "install" });
    const none = await makeSync({ checkRunState: null });
    const deletion = await makeSync({
      headSha: null,
      deletesBranch: true,
      checkRunState: null,
      status: "succeeded",
    });

    const reports = reporter();
    for (const sync of [headless, none, deletion]) {
      reports.enqueued(sync.id);
      reports.settled(sync.id);
    }
    await reports.idle();

    expect(github.requests()).toEqual([]);
    expect((await row(headless.id)).checkRunState).toBe("pending");
  });

  it("two processes asked to create the same check run: only one POSTs", async () => {
    const sync = await makeSync();
    const otherDb = createPrismaClient(database.url, { poolSize: 2 });
    checkRunCreated();
    try {
      const first = reporter();
      const second = reporter({ db: otherDb });

      first.enqueued(sync.id);
      second.enqueued(sync.id);
      second.settled(sync.id);
      await Promise.all([first.idle(), second.idle()]);
    } finally {
      await otherDb.$disconnect();
    }

    expect(github.requests()).toHaveLength(1);
    expect(await row(sync.id)).toMatchObject({ checkRunState: "open", checkRunId: 4242n });
  });

  it("a creation lease that expired (its holder died) is taken over", async () => {
    const sync = await makeSync({ checkRunState: "creating", checkRunAt: new Date(clock - 10_000) });
    const reports = reporter();

    reports.enqueued(sync.id);
    await reports.idle();
    expect(github.requests()).toEqual([]);

    clock += LEASE_MS;
    checkRunsListed([]);
    checkRunCreated();
    reports.enqueued(sync.id);
    await reports.idle();
    // the dead holder may have created it before it died: GitHub is asked first, then it is created
    expect(github.requests().map((request) => `${request.method} ${request.path.split("?")[0]}`)).toEqual([
      `GET ${REPO}/commits/${HEAD}/check-runs`,
      `POST ${REPO}/check-runs`,
    ]);
  });

  it("adopts the check run a dead process created but could not record, instead of making a second one", async () => {
    const crashed = await makeSync({ status: "failed", checkRunState: null, finishedAt: new Date(clock) });
    const rerun = await makeSync({
      status: "running",
      startedAt: new Date(clock),
      retryOfSyncId: crashed.id,
      attempt: 2,
      checkRunState: "pending",
      checkRunAdopt: true,
    });
    checkRunsListed([
      { id: 99, external_id: "someone-else", status: "in_progress" },
      { id: 77, external_id: crashed.id, status: "in_progress" },
    ]);

    const reports = reporter();
    reports.event(rerun.id, event(rerun, { type: "phase", phase: "resolve", progress: null }));
    await reports.idle();

    expect(github.requests().map((request) => request.method)).toEqual(["GET"]);
    expect(github.requests()[0]?.path).toContain("check_name=Project%20Sync");
    expect(await row(rerun.id)).toMatchObject({
      checkRunState: "open",
      checkRunId: 77n,
      checkRunAdopt: false,
    });
  });

  it("the sync ended while its check run was being created: the reporter reads it again and completes it", async () => {
    const sync = await makeSync();
    github
      .api()
      .post(`${REPO}/check-runs`)
      .reply(async () => {
        await database.db.projectSync.update({
          where: { id: sync.id },
          data: {
            status: "failed",
            phase: "resolve",
            errorCode: "BRANCH_NOT_FOUND",
            error: "no branch",
            finishedAt: new Date(clock),
          },
        });
        return [201, { id: 4242 }];
      });
    checkRunUpdated();

    const reports = reporter();
    reports.enqueued(sync.id);
    await reports.idle();

    expect(
      github.requests().map((request) => [request.method, (request.body as { status: string }).status]),
    ).toEqual([
      ["POST", "queued"],
      ["PATCH", "completed"],
    ]);
    expect(github.requests()[1]?.body).toMatchObject({ conclusion: "failure" });
    expect((await row(sync.id)).checkRunState).toBe("completed");
  });

  it("403 (no checks: write): the check run is skipped with one warning, and the sync is untouched", async () => {
    const sync = await makeSync({ status: "running", phase: "fetch", startedAt: new Date(clock) });
    github.api().post(`${REPO}/check-runs`).reply(403, { message: "Resource not accessible by integration" });

    const reports = reporter();
    reports.enqueued(sync.id);
    reports.event(sync.id, event(sync));
    reports.settled(sync.id);
    await reports.idle();

    const after = await row(sync.id);
    expect(after.checkRunState).toBe("skipped");
    const { checkRunState: _a, checkRunAt: _b, updatedAt: _c, ...rest } = after;
    const { checkRunState: _d, checkRunAt: _e, updatedAt: _f, ...before } = sync;
    expect(rest).toEqual(before);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Resource not accessible by integration");
    expect(errors).toEqual([]);
  });

  it("a 500 leaves the check run open; the sweep completes it once the lease has passed", async () => {
    const sync = await makeSync({
      status: "succeeded",
      checkRunId: 4242n,
      checkRunState: "open",
      checkRunAt: new Date(clock - 5000),
      finishedAt: new Date(clock - 1000),
    });
    checkRunUpdated(4242, 500);

    const reports = reporter();
    reports.settled(sync.id);
    await reports.idle();
    expect((await row(sync.id)).checkRunState).toBe("open");

    await reports.sweep();
    expect(github.requests()).toHaveLength(1);

    clock += LEASE_MS;
    checkRunUpdated();
    await reports.sweep();
    await reports.sweep();

    expect(github.requests()).toHaveLength(2);
    expect(github.requests()[1]?.body).toMatchObject({ status: "completed", conclusion: "success" });
    expect((await row(sync.id)).checkRunState).toBe("completed");
  });

  it("the sweep creates check runs left pending, and two sweepers never take the same sync", async () => {
    const syncs = [await makeSync(), await makeSync({ headSha: "3".repeat(40) })];
    const otherDb = createPrismaClient(database.url, { poolSize: 2 });
    checkRunCreated(1);
    checkRunCreated(2);
    try {
      await Promise.all([reporter().sweep(), reporter({ db: otherDb }).sweep()]);
    } finally {
      await otherDb.$disconnect();
    }

    expect(github.requests()).toHaveLength(2);
    const states = await Promise.all(syncs.map((sync) => row(sync.id)));
    expect(states.map((state) => state.checkRunState)).toEqual(["open", "open"]);
    expect(new Set(states.map((state) => state.checkRunId))).toEqual(new Set([1n, 2n]));
  });

  it("a queued retry inherits the check run and shows when it runs again", async () => {
    const failed = await makeSync({
      status: "failed",
      phase: "fetch",
      errorCode: "GITHUB_UNAVAILABLE",
      error: "GitHub is unavailable (502)",
      checkRunState: null,
    });
    const retry = await makeSync({
      attempt: 2,
      retryOfSyncId: failed.id,
      runAfter: new Date(clock + 30_000),
      checkRunId: 4242n,
      checkRunState: "open",
    });
    checkRunUpdated();

    const reports = reporter();
    reports.settled(failed.id);
    reports.settled(retry.id);
    await reports.idle();

    expect(github.requests()).toHaveLength(1);
    expect(github.requests()[0]?.body).toMatchObject({
      status: "queued",
      output: {
        title: "Retrying in 30 s (attempt 2 of 4)",
        summary: expect.stringContaining("GitHub is unavailable (502)"),
      },
    });
    expect((await row(retry.id)).checkRunState).toBe("open");
  });

  describe("GitHub's write budget and the queue", () => {
    it("creates a queued sync's check run only after it waited the delay, and none for a sync superseded sooner", async () => {
      const waiting = await makeSync({ createdAt: new Date(clock) });
      const superseded = await makeSync({ createdAt: new Date(clock) });
      const reports = reporter({ queuedCheckDelayMs: 5_000 });

      reports.enqueued(waiting.id);
      reports.enqueued(superseded.id);
      await reports.sweep();
      await reports.idle();
      expect(github.requests()).toEqual([]);

      await database.db.projectSync.update({
        where: { id: superseded.id },
        data: {
          status: "cancelled",
          errorCode: "SUPERSEDED",
          checkRunState: null,
          finishedAt: new Date(clock),
        },
      });
      clock += 5_000;
      checkRunCreated();
      await reports.sweep();
      await reports.idle();
      reports.stop?.();

      expect(github.requests().map((request) => (request.body as { status: string }).status)).toEqual([
        "queued",
      ]);
      expect(await row(waiting.id)).toMatchObject({ checkRunState: "open", checkRunId: 4242n });
      expect(await row(superseded.id)).toMatchObject({ checkRunState: null, checkRunId: null });
    });

    it("defers writes the budget cannot take, completes first, and creates a deferred check run when the budget allows", async () => {
      const budget = createGitHubWriteBudget({
        db: database.db,
        now: () => new Date(clock),
        perMinute: 2,
        perHour: 100,
      });
      const first = await makeSync({ status: "running", startedAt: new Date(clock) });
      const second = await makeSync({ status: "running", startedAt: new Date(clock), branch: "dev" });
      const reports = reporter({ budget, progressDelayMs: 60_000 });
      checkRunCreated(1);

      reports.event(first.id, event(first, { type: "phase", phase: "resolve", progress: null }));
      await reports.idle();
      reports.event(second.id, event(second, { type: "phase", phase: "resolve", progress: null }));
      await reports.idle();
      expect(await row(second.id)).toMatchObject({
        checkRunState: "pending",
        checkRunRetryAt: new Date(clock + 60_001),
      });

      for (const sync of [first, second]) {
        await database.db.projectSync.update({
          where: { id: sync.id },
          data: { status: "succeeded", finishedAt: new Date(clock) },
        });
      }
      checkRunUpdated(1);
      reports.settled(first.id);
      reports.settled(second.id);
      await reports.idle();
      expect(
        github
          .requests()
          .map((request) => `${request.method} ${(request.body as { status: string }).status}`),
      ).toEqual(["POST in_progress", "PATCH completed"]);

      clock += 60_001;
      checkRunCreated(2);
      await reports.sweep();
      await reports.idle();

      expect(github.requests().at(-1)).toMatchObject({
        method: "POST",
        body: { status: "completed", conclusion: "success" },
      });
      expect(await row(second.id)).toMatchObject({
        checkRunState: "completed",
        checkRunId: 2n,
        checkRunRetryAt: null,
      });
    });

    it("drops a deferred check run of a finished sync once its branch has moved on (the newer head's shows)", async () => {
      const older = await makeSync({
        status: "succeeded",
        startedAt: new Date(clock - 5_000),
        finishedAt: new Date(clock - 1_000),
        checkRunRetryAt: new Date(clock - 1),
      });
      await makeSync({ createdAt: new Date(clock - 500), headSha: "2".repeat(40), checkRunState: null });

      const reports = reporter();
      await reports.sweep();
      await reports.idle();

      expect(github.requests()).toEqual([]);
      expect(await row(older.id)).toMatchObject({ checkRunState: null, checkRunId: null });
    });

    it("waits out GitHub's secondary rate limit on a check run instead of giving it up", async () => {
      const sync = await makeSync({
        status: "succeeded",
        startedAt: new Date(clock),
        finishedAt: new Date(clock),
      });
      github.api().post(`${REPO}/check-runs`).reply(403, {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      });

      const reports = reporter();
      reports.settled(sync.id);
      await reports.idle();

      expect(await row(sync.id)).toMatchObject({
        checkRunState: "pending",
        checkRunRetryAt: new Date(clock + 60_000),
      });
      clock += 60_000;
      checkRunCreated();
      await reports.sweep();
      await reports.idle();
      expect(await row(sync.id)).toMatchObject({ checkRunState: "completed", checkRunId: 4242n });
    });
  });

  describe("comment reactions", () => {
    const reacted = (commentId: number, content: string) =>
      github
        .api()
        .post(`${REPO}/issues/comments/${commentId}/reactions`, { content })
        .reply(201, { id: 1, content });

    it("rocket on success, -1 on failure, once", async () => {
      const ok = await makeSync({
        trigger: "comment",
        commentId: 11n,
        status: "succeeded",
        checkRunState: null,
      });
      const bad = await makeSync({
        trigger: "comment",
        commentId: 12n,
        status: "failed",
        errorCode: "INTERNAL",
        checkRunState: null,
      });
      reacted(11, "rocket");
      reacted(12, "-1");

      const reports = reporter();
      reports.settled(ok.id);
      reports.settled(bad.id);
      await reports.idle();
      reports.settled(ok.id);
      await reports.idle();

      expect(github.requests()).toHaveLength(2);
      expect((await row(ok.id)).commentReactedAt).toEqual(new Date(clock));
      expect((await row(bad.id)).commentReactedAt).toEqual(new Date(clock));
    });

    it("a superseded comment sync reacts when the sync that replaced it ends, through a chain", async () => {
      const last = await makeSync({ status: "running", checkRunState: null });
      const middle = await makeSync({
        status: "cancelled",
        errorCode: "SUPERSEDED",
        supersededById: last.id,
        checkRunState: null,
      });
      const first = await makeSync({
        trigger: "comment",
        commentId: 21n,
        status: "cancelled",
        errorCode: "SUPERSEDED",
        supersededById: middle.id,
        checkRunState: null,
      });
      const reports = reporter();

      reports.settled(first.id);
      await reports.idle();
      expect(github.requests()).toEqual([]);

      await database.db.projectSync.update({ where: { id: last.id }, data: { status: "succeeded" } });
      reacted(21, "rocket");
      reports.settled(last.id);
      await reports.idle();

      expect(github.requests()).toHaveLength(1);
      expect((await row(first.id)).commentReactedAt).not.toBeNull();
    });

    it("a failed attempt that is retried reacts on how the retry ends; the sweep catches a reaction a crash lost", async () => {
      const failed = await makeSync({
        status: "failed",
        errorCode: "GITHUB_UNAVAILABLE",
        checkRunState: null,
        finishedAt: new Date(clock - 1000),
      });
      const retry = await makeSync({
        attempt: 2,
        retryOfSyncId: failed.id,
        status: "queued",
        checkRunState: null,
      });
      const comment = await makeSync({
        trigger: "comment",
        commentId: 31n,
        status: "cancelled",
        errorCode: "SUPERSEDED",
        supersededById: failed.id,
        checkRunState: null,
        finishedAt: new Date(clock - 1000),
      });
      const reports = reporter();

      reports.settled(failed.id);
      await reports.idle();
      expect(github.requests()).toEqual([]);

      await database.db.projectSync.update({
        where: { id: retry.id },
        data: { status: "failed", finishedAt: new Date(clock) },
      });
      clock += LEASE_MS + 1000;
      reacted(31, "-1");
      await reports.sweep();

      expect(errors).toEqual([]);
      expect(github.requests()).toHaveLength(1);
      expect((await row(comment.id)).commentReactedAt).not.toBeNull();
    });
  });
});
