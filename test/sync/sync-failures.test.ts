import { beforeEach, describe, expect, it } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import { silentLogger } from "../../src/logger.js";
import { executeSync } from "../../src/service/execute-sync.js";
import { requestInlineSync } from "../../src/service/request-inline-sync.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { runQueuedSync } from "../../src/sync/run-queued-sync.js";
import type { SyncDeps } from "../../src/sync/sync-context.js";
import type { SyncEvent } from "../../src/sync/sync-event.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import { STALE_AFTER_MS } from "../../src/sync-record/fail-dead-sync.js";
import type { FakeCommit, FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { testOctokit, useNockGitHub } from "../helpers/nock-github.js";
import { memoryOf, syncCommit, treeOf } from "../helpers/sync-harness.js";
import { useSyncRepository } from "../helpers/use-sync-repository.js";

describe("a sync that fails or is cancelled leaves memory exactly as it was", () => {
  useNockGitHub();
  let deps: ServiceDeps;
  let repo: FakeGitHubRepo;
  let repository: Repository;
  useSyncRepository((state) => {
    ({ deps, repo, repository } = state);
  });
  let v1: FakeCommit;
  let v2: FakeCommit;

  const syncDeps = (overrides: Partial<SyncDeps> = {}): SyncDeps => ({
    db: deps.db,
    github: testOctokit(),
    now: () => new Date(),
    log: silentLogger,
    maxFileSizeBytes: 1024 * 1024,
    ...overrides,
  });

  /** Runs a sync of v2, calling `during` when the pipeline enters `phase`. */
  async function runV2(
    options: { phase?: SyncEvent["phase"]; during?: () => Promise<void>; deps?: SyncDeps } = {},
  ) {
    const queued = await requestInlineSync(deps, { repository, headSha: v2.sha, trigger: "push" });
    const events = runQueuedSync(options.deps ?? syncDeps(), queued.id);
    const seen: SyncEvent[] = [];
    for (;;) {
      const next = await events.next();
      if (next.done) return { sync: next.value as SyncView, events: seen };
      seen.push(next.value);
      if (next.value.type === "phase" && next.value.phase === options.phase) await options.during?.();
    }
  }

  beforeEach(async () => {
    v1 = repo.commit({ "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
    v2 = repo.commit({ "a.txt": "a2\n", "c.txt": "c\n", "d.txt": "d\n" });
    repo.expectTree(v1);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit: v1 });
  });

  it("in phase 1 (resolve): GitHub answers 500", async () => {
    repo.expectTree(v2, { status: 500 });

    const { sync, events } = await runV2();

    expect(sync).toMatchObject({ status: "failed", phase: "resolve", error: { code: "GITHUB_UNAVAILABLE" } });
    expect(events.at(-1)).toMatchObject({
      type: "status",
      status: "failed",
      error: { code: "GITHUB_UNAVAILABLE" },
    });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v1));
  });

  it("in phase 2 (diff): the database refuses a query", async () => {
    repo.expectTree(v2);
    const rename = (from: string, to: string) =>
      deps.db.$executeRawUnsafe(`ALTER TABLE "${from}" RENAME TO "${to}"`);

    let result: Awaited<ReturnType<typeof runV2>>;
    try {
      result = await runV2({
        phase: "diff",
        during: async () => {
          await rename("RepositoryFile", "RepositoryFile_away");
        },
      });
    } finally {
      await rename("RepositoryFile_away", "RepositoryFile").catch(() => undefined);
    }

    expect(result.sync).toMatchObject({ status: "failed", phase: "diff", error: { code: "INTERNAL" } });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v1));
  });

  it("in phase 3 (fetch): the content query fails", async () => {
    repo.expectTree(v2);
    repo.expectBlobQuery({ status: 502 });

    const { sync } = await runV2();

    expect(sync).toMatchObject({ status: "failed", phase: "fetch", error: { code: "GITHUB_UNAVAILABLE" } });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v1));
  });

  it("in phase 4 (finalize): a write fails halfway through the transaction, and all of it rolls back", async () => {
    repo.expectTree(v2);
    repo.expectBlobQuery();
    const newBlob = v2.entries.find((entry) => entry.path === "d.txt")?.sha as string;

    const { sync } = await runV2({
      phase: "finalize",
      during: async () => {
        await deps.db.repositoryFile.delete({
          where: { repositoryId_sha: { repositoryId: repository.id, sha: newBlob } },
        });
      },
    });

    expect(sync).toMatchObject({
      status: "failed",
      phase: "finalize",
      previousSyncId: null,
      generation: null,
    });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v1));
    expect(await deps.db.memoryEntry.count({ where: { status: "superseded" } })).toBe(0);
  });

  it("in phase 4 (finalize): another sync moved the branch meanwhile", async () => {
    repo.expectTree(v2);
    repo.expectBlobQuery();

    const { sync } = await runV2({
      phase: "finalize",
      during: async () => {
        const head = await deps.db.projectSync.findFirstOrThrow({ where: { status: "succeeded" } });
        await deps.db.projectSync.create({
          data: {
            repositoryId: repository.id,
            branch: "main",
            trigger: "manual",
            status: "succeeded",
            generation: 2,
            previousSyncId: head.id,
          },
        });
      },
    });

    expect(sync).toMatchObject({ status: "failed", error: { code: "CONFLICT" } });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v1));
  });

  it("cancelled between phases (a newer push superseded it)", async () => {
    repo.expectTree(v2);
    const controller = new AbortController();

    const { sync } = await runV2({
      phase: "diff",
      during: async () => controller.abort("superseded by a newer push"),
      deps: syncDeps({ signal: controller.signal }),
    });

    expect(sync).toMatchObject({
      status: "cancelled",
      error: { message: "Cancelled: superseded by a newer push" },
    });
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v1));
  });

  it("one running sync per branch: a second is refused while the first is alive, and takes over once it is dead", async () => {
    repo.expectTree(v2);
    repo.expectBlobQuery();
    const first = await requestInlineSync(deps, { repository, headSha: v2.sha, trigger: "push" });
    const second = await requestInlineSync(deps, { repository, headSha: v2.sha, trigger: "push" });
    const running = runQueuedSync(syncDeps(), first.id);
    await running.next();

    await expect(runQueuedSync(syncDeps(), second.id).next()).rejects.toMatchObject({
      code: "SYNC_IN_PROGRESS",
    });

    await deps.db.projectSync.update({
      where: { id: first.id },
      data: { heartbeatAt: new Date(Date.now() - STALE_AFTER_MS - 1000) },
    });
    repo.expectTree(v2);
    const takeover = runQueuedSync(syncDeps(), second.id);
    let next = await takeover.next();
    while (!next.done) next = await takeover.next();
    let resumed = await running.next();
    while (!resumed.done) resumed = await running.next();

    expect(next.value).toMatchObject({ status: "succeeded" });
    expect(resumed.value).toMatchObject({ status: "failed" });
    expect(resumed.value.error?.message).toMatch(/stopped responding/);
    expect(await deps.db.projectSyncEvent.count({ where: { syncId: first.id, type: "phase" } })).toBe(1);
    expect(await memoryOf(deps, repository)).toEqual(treeOf(v2));
  });
  it("a sync run now while its branch is busy is refused and recorded cancelled, not left queued", async () => {
    repo.expectTree(v2);
    const first = await requestInlineSync(deps, { repository, headSha: v2.sha, trigger: "push" });
    const running = runQueuedSync(syncDeps(), first.id);
    await running.next();
    const second = await requestInlineSync(deps, { repository, headSha: v2.sha, trigger: "manual" });

    await expect(executeSync(deps, { syncId: second.id })).rejects.toMatchObject({
      code: "SYNC_IN_PROGRESS",
    });

    expect(await deps.db.projectSync.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      status: "cancelled",
      errorCode: "SYNC_IN_PROGRESS",
    });
    await deps.db.projectSync.update({ where: { id: first.id }, data: { status: "cancelled" } });
    let rest = await running.next();
    while (!rest.done) rest = await running.next();
  });
});
