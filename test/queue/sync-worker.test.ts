import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createPrismaClient } from "../../src/db/create-prisma-client.js";
import { AppError } from "../../src/errors.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { silentLogger } from "../../src/logger.js";
import { createSyncWorker } from "../../src/queue/create-sync-worker.js";
import type { CreateSyncWorkerOptions, SyncWorker } from "../../src/queue/sync-worker.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import { requestInlineSync } from "../../src/service/request-inline-sync.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { SyncEvent } from "../../src/sync/sync-event.js";
import { type EnqueueSyncOptions, enqueueSync } from "../../src/sync-record/enqueue-sync.js";
import { STALE_AFTER_MS } from "../../src/sync-record/fail-dead-sync.js";
import { requeueSync } from "../../src/sync-record/requeue-sync.js";
import { memoryOf, simulatorDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "../sim/use-simulator.js";

const TREES = "GET /repos/{owner}/{repo}/git/trees/{sha}";

function treeAt(fixture: SimulatorFixture, sha: string, filter: (path: string) => boolean = () => true) {
  return Object.fromEntries(
    gitTree(fixture, sha)
      .filter((entry) => entry.type !== "tree" && filter(entry.path))
      .map((entry) => [entry.path, `${entry.mode} ${entry.sha}`]),
  );
}

/**
 * The queue's worker against the git-backed simulator and a real PostgreSQL: runs, retries with backoff, re-runs of
 * dead processes' syncs, shutdown, inline and uninstalled repositories. Time is moved through the injected clock.
 */
describe("createSyncWorker", () => {
  const fixture = useSimulator({ files: 120, seed: 5 });
  let database: TestDatabase;
  let deps: ServiceDeps;
  let repository: Repository;
  let offset: number;
  let settled: string[];
  let events: { syncId: string; event: SyncEvent }[];
  const workers: SyncWorker[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop({ graceMs: 5_000 });
    offset = 0;
    settled = [];
    events = [];
    fixture.sim.clearFaults();
    fixture.sim.setLatency(0);
    fixture.sim.setBranch(OWNER, NAME, "main", fixture.repo.headSha);
    deps = { ...simulatorDeps(database, fixture.address.apiUrl), now: () => new Date(Date.now() + offset) };
    await database.db.repository.deleteMany();
    repository = await ensureRepository(deps, `${OWNER}/${NAME}`);
  });

  const worker = (options: Partial<CreateSyncWorkerOptions> = {}): SyncWorker => {
    const created = createSyncWorker({
      deps,
      concurrency: 2,
      pollIntervalMs: 10,
      hooks: {
        onEvent: (syncId, event) => events.push({ syncId, event }),
        onSettled: (syncId) => settled.push(syncId),
      },
      ...options,
    });
    workers.push(created);
    return created;
  };
  const enqueue = (options: Partial<EnqueueSyncOptions> = {}) =>
    enqueueSync(deps, { repository, trigger: "push", headSha: fixture.repo.headSha, ...options });
  const syncs = () =>
    database.db.projectSync.findMany({ orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] });
  const row = (id: string) => database.db.projectSync.findUniqueOrThrow({ where: { id } });

  it("runs queued syncs to the branch head: memory equals git's tree, events and ends reported", async () => {
    fixture.sim.setBranch(OWNER, NAME, "dev", fixture.repo.headSha);
    const pushed = await enqueue({ checkRun: true });
    const manual = await enqueue({ branch: "dev", headSha: undefined, trigger: "manual" });

    await worker().runUntilIdle();

    expect(await row(pushed.sync.id)).toMatchObject({ status: "succeeded", headSha: fixture.repo.headSha });
    expect(await row(manual.sync.id)).toMatchObject({ status: "succeeded", headSha: fixture.repo.headSha });
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha));
    expect(await memoryOf(deps, repository, "dev")).toEqual(treeAt(fixture, fixture.repo.headSha));
    expect(settled.sort()).toEqual([pushed.sync.id, manual.sync.id].sort());
    expect(
      events.filter((e) => e.syncId === pushed.sync.id).map((e) => e.event.phase ?? e.event.status),
    ).toEqual(expect.arrayContaining(["resolve", "diff", "fetch", "finalize"]));
    expect(events.filter((e) => e.syncId === pushed.sync.id).at(-1)?.event.status).toBe("succeeded");
  });

  it("applies the repository config (path filter, digest); an invalid config fails the sync without running it", async () => {
    const keep = (path: string) => !path.includes("/");
    const configured = worker({
      runOptionsFor: () => ({ pathFilter: keep, configDigest: "digest-1", maxFileSizeBytes: 4096 }),
    });
    const good = await enqueue();

    await configured.runUntilIdle();

    expect(await row(good.sync.id)).toMatchObject({ status: "succeeded", configDigest: "digest-1" });
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha, keep));

    const invalid = worker({
      runOptionsFor: () => {
        throw new AppError("CONFIG_INVALID", ".github/project-sync.yml: paths.include.0: expected string");
      },
    });
    const bad = await enqueue({ full: true });
    fixture.sim.resetStats();

    await invalid.runUntilIdle();

    expect(await row(bad.sync.id)).toMatchObject({
      status: "failed",
      errorCode: "CONFIG_INVALID",
      error: ".github/project-sync.yml: paths.include.0: expected string",
    });
    expect(fixture.sim.stats().total).toBe(0);
    expect(settled).toContain(bad.sync.id);
  });

  it("retries a transient failure later as a new sync that takes over the check run, then succeeds once time has come", async () => {
    fixture.sim.injectFault({ route: TREES, times: 1, kind: "502" });
    const { sync } = await enqueue({ checkRun: true, commentId: 42n });
    await database.db.projectSync.update({
      where: { id: sync.id },
      data: { checkRunId: 77n, checkRunState: "open", checkRunAt: new Date() },
    });
    const queue = worker();

    await queue.runUntilIdle();

    const [failed, retry] = await syncs();
    const failedAt = deps.now().getTime();
    expect(failed).toMatchObject({
      id: sync.id,
      status: "failed",
      errorCode: "GITHUB_UNAVAILABLE",
      checkRunId: null,
      checkRunState: null,
      commentId: null,
    });
    expect(retry).toMatchObject({
      status: "queued",
      attempt: 2,
      retryOfSyncId: sync.id,
      headSha: fixture.repo.headSha,
      trigger: "push",
      checkRunId: 77n,
      checkRunState: "open",
      commentId: 42n,
    });
    const delay = (retry?.runAfter?.getTime() ?? 0) - failedAt;
    expect(delay).toBeGreaterThan(20_000);
    expect(delay).toBeLessThan(40_000);
    expect(settled).toEqual([sync.id, retry?.id]);

    await queue.runUntilIdle();
    expect((await row(retry?.id as string)).status).toBe("queued");

    offset += 60_000;
    await queue.runUntilIdle();

    expect(await row(retry?.id as string)).toMatchObject({ status: "succeeded", checkRunId: 77n });
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha));
  });

  it("waits for GitHub's rate limit reset before the retry of a rate-limited sync", async () => {
    fixture.sim.injectFault({ route: TREES, times: 1, kind: "secondary-rate-limit" });
    const { sync } = await enqueue();
    const queue = worker();

    const before = Date.now();
    await queue.runUntilIdle();

    const [failed, retry] = await syncs();
    expect(failed).toMatchObject({ id: sync.id, status: "failed", errorCode: "GITHUB_RATE_LIMITED" });
    // retry-after: 1 → about a second from the failure, far sooner than the 30 s backoff
    expect(retry?.runAfter?.getTime()).toBeGreaterThanOrEqual(before + 1_000);
    expect(retry?.runAfter?.getTime()).toBeLessThan(Date.now() + 2_000);

    offset += 5_000;
    await queue.runUntilIdle();
    expect((await row(retry?.id as string)).status).toBe("succeeded");
  });

  it("gives up after the 4th attempt; an error a retry cannot fix is not retried", async () => {
    fixture.sim.injectFault({ route: TREES, times: 4, kind: "502" });
    await enqueue();
    const queue = worker();

    for (let round = 0; round < 5; round += 1) {
      await queue.runUntilIdle();
      offset += 11 * 60_000;
    }

    expect((await syncs()).map((sync) => [sync.attempt, sync.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "failed"],
      [4, "failed"],
    ]);

    await database.db.projectSync.deleteMany();
    await enqueue({ headSha: "f".repeat(40) });
    await queue.runUntilIdle();
    expect((await syncs()).map((sync) => [sync.status, sync.errorCode])).toEqual([["failed", "NOT_FOUND"]]);
  });

  it("a retry is not queued when a newer sync of the branch is already queued (it covers the request)", async () => {
    const failed = await database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "main",
        trigger: "push",
        status: "failed",
        errorCode: "X",
      },
    });
    const newer = await enqueue();

    const none = await database.db.$transaction((tx) =>
      requeueSync(tx, { syncId: failed.id, nextAttempt: true, runAfter: null, now: new Date() }),
    );
    await database.db.projectSync.update({ where: { id: newer.sync.id }, data: { status: "cancelled" } });
    const once = await database.db.$transaction((tx) =>
      requeueSync(tx, { syncId: failed.id, nextAttempt: true, runAfter: null, now: new Date() }),
    );
    const twice = await database.db.$transaction((tx) =>
      requeueSync(tx, { syncId: failed.id, nextAttempt: true, runAfter: null, now: new Date() }),
    );

    expect(none).toBeNull();
    expect(once).toMatchObject({ status: "queued", attempt: 2, retryOfSyncId: failed.id });
    expect(twice).toBeNull();
  });

  it("a sync whose process died (old heartbeat) is failed by the sweep and run again, its check run and comment moved", async () => {
    const stale = new Date(deps.now().getTime() - STALE_AFTER_MS - 30_000);
    const dead = await database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "main",
        trigger: "push",
        headSha: fixture.repo.headSha,
        status: "running",
        phase: "fetch",
        startedAt: stale,
        heartbeatAt: stale,
        checkRunId: 5n,
        checkRunState: "open",
        commentId: 9n,
      },
    });
    const first = worker();
    const second = worker();

    await Promise.all([first.sweep(), second.sweep()]);

    const [failed, retry] = await syncs();
    expect(await syncs()).toHaveLength(2);
    expect(failed).toMatchObject({
      id: dead.id,
      status: "failed",
      error: expect.stringContaining("stopped responding"),
      checkRunId: null,
      checkRunState: null,
      commentId: null,
    });
    // the sweeping worker looks for work at once, so the re-run may already be running
    expect(["queued", "running"]).toContain(retry?.status);
    expect(retry).toMatchObject({
      attempt: 2,
      retryOfSyncId: dead.id,
      runAfter: null,
      checkRunId: 5n,
      checkRunState: "open",
      commentId: 9n,
    });
    expect(settled.sort()).toEqual([dead.id, retry?.id].sort());

    await Promise.all([first.runUntilIdle(), second.runUntilIdle()]);

    expect((await row(retry?.id as string)).status).toBe("succeeded");
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha));
  });

  it("stop() cancels a running sync and queues it again, same attempt, for the next process", async () => {
    fixture.sim.setLatency(100);
    const { sync } = await enqueue({ checkRun: true });
    await database.db.projectSync.update({
      where: { id: sync.id },
      data: { checkRunId: 3n, checkRunState: "open" },
    });
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const stopping = worker({ hooks: { onEvent: () => started(), onSettled: (id) => settled.push(id) } });

    stopping.start();
    await running;
    await stopping.stop({ graceMs: 20_000 });

    const [cancelled, requeued] = await syncs();
    expect(cancelled).toMatchObject({
      id: sync.id,
      status: "cancelled",
      error: expect.stringContaining("shutdown"),
      checkRunState: null,
    });
    expect(requeued).toMatchObject({
      status: "queued",
      attempt: 1,
      retryOfSyncId: sync.id,
      runAfter: null,
      checkRunId: 3n,
      checkRunState: "open",
    });
    expect(settled).toEqual([sync.id, requeued?.id]);

    fixture.sim.setLatency(0);
    await worker().runUntilIdle();
    expect((await row(requeued?.id as string)).status).toBe("succeeded");
  });

  it("never takes inline syncs (the CLI runs them); the sweep cancels one its process left queued", async () => {
    const inline = await requestInlineSync(deps, {
      repository,
      headSha: fixture.repo.headSha,
      trigger: "manual",
    });
    const queue = worker();

    await queue.runUntilIdle();
    await queue.sweep();
    expect((await row(inline.id)).status).toBe("queued");

    offset += STALE_AFTER_MS + 1_000;
    await queue.sweep();

    expect(await row(inline.id)).toMatchObject({
      status: "cancelled",
      error: expect.stringContaining("stopped"),
    });
    expect(settled).toEqual([inline.id]);
  });

  it("takes nothing of an uninstalled repository; the sweep cancels its queued syncs and skips their check runs", async () => {
    const withCheck = await enqueue({ checkRun: true });
    const without = await enqueue({ branch: "dev" });
    await database.db.repository.update({ where: { id: repository.id }, data: { active: false } });
    const queue = worker();

    await queue.runUntilIdle();
    expect((await row(withCheck.sync.id)).status).toBe("queued");

    await queue.sweep();

    expect(await row(withCheck.sync.id)).toMatchObject({
      status: "cancelled",
      checkRunState: "skipped",
      error: expect.stringContaining("uninstalled"),
    });
    expect(await row(without.sync.id)).toMatchObject({ status: "cancelled", checkRunState: null });
    expect(settled.sort()).toEqual([withCheck.sync.id, without.sync.id].sort());
  });

  it("a database it cannot reach is logged and waited out, never thrown", async () => {
    const errors: string[] = [];
    const unreachable = createPrismaClient("postgresql://nobody:secret@127.0.0.1:9/none", { poolSize: 1 });
    const queue = worker({
      deps: { ...deps, db: unreachable, log: { ...silentLogger, error: (message) => errors.push(message) } },
    });

    try {
      await queue.runUntilIdle();
      queue.start();
      await queue.stop();
    } finally {
      await unreachable.$disconnect();
    }

    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toContain("could not take work");
    expect(errors.join("\n")).not.toContain("secret");
  });

  it("does not take a sync whose runAfter is still ahead, nor one whose branch is running", async () => {
    const later = await enqueue();
    await database.db.projectSync.update({
      where: { id: later.sync.id },
      data: { runAfter: new Date(deps.now().getTime() + 60_000) },
    });
    await database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "dev",
        trigger: "push",
        status: "running",
        heartbeatAt: deps.now(),
      },
    });
    const blocked = await enqueue({ branch: "dev" });
    const queue = worker();

    await queue.runUntilIdle();

    expect((await row(later.sync.id)).status).toBe("queued");
    expect((await row(blocked.sync.id)).status).toBe("queued");
  });
});
