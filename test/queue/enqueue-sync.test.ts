import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { AppError } from "../../src/errors.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { silentLogger } from "../../src/logger.js";
import { type EnqueueResult, enqueueSync } from "../../src/sync-record/enqueue-sync.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const sha = (n: number) => n.toString(16).padStart(40, "0");
const ZERO = "0".repeat(40);

describe("enqueueSync: the durable queue's front door", () => {
  let database: TestDatabase;
  let repository: Repository;
  const deps = () => ({ db: database.db, now: () => new Date(), log: silentLogger });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.repository.deleteMany();
    repository = await database.db.repository.create({
      data: { githubId: 1n, key: "octo/hello", owner: "octo", name: "hello", defaultBranch: "main" },
    });
  });

  let pushClock = Date.now();
  const nextPushTime = () => {
    pushClock += 1_000;
    return new Date(Math.floor(pushClock / 1000) * 1000);
  };
  const push = (n: number, extra: Record<string, unknown> = {}) =>
    enqueueSync(deps(), {
      repository,
      branch: "main",
      trigger: "push",
      headSha: sha(n),
      pushBefore: sha(n - 1),
      // GitHub's repository.pushed_at: pushes happen in the order the test makes them, a second apart
      pushedAt: nextPushTime(),
      deliveryId: `delivery-${n}`,
      checkRun: true,
      ...extra,
    });
  const rows = () =>
    database.db.projectSync.findMany({
      orderBy: { createdAt: "asc" },
      where: { repositoryId: repository.id },
    });

  it("queues a sync with its check run pending, on the default branch when none is named", async () => {
    const result = await enqueueSync(deps(), {
      repository,
      trigger: "manual",
      requestedBy: "octocat",
      commentId: 7n,
    });

    expect(result.created).toBe(true);
    expect(result.superseded).toEqual([]);
    expect(result.sync).toMatchObject({
      branch: "main",
      status: "queued",
      trigger: "manual",
      headSha: null,
      inline: false,
      attempt: 1,
      checkRunState: null,
      requestedBy: "octocat",
      commentId: 7n,
    });
    expect((await push(1)).sync).toMatchObject({ checkRunState: "pending", pushBefore: sha(0) });
  });

  it("a redelivered webhook returns the sync it queued and writes nothing", async () => {
    const first = await push(1);

    const again = await push(1);

    expect(again).toEqual({ sync: first.sync, created: false, superseded: [] });
    expect(await rows()).toHaveLength(1);
  });

  it("concurrent deliveries of the same webhook queue exactly one sync", async () => {
    const results = await Promise.all([push(1), push(1), push(1), push(1)]);

    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.sync.id)).size).toBe(1);
    expect(await rows()).toHaveLength(1);
  });

  it("a burst of 5 pushes leaves one queued sync at the newest head; the 4 others are cancelled SUPERSEDED by it, full kept", async () => {
    const results: EnqueueResult[] = [];
    for (let n = 1; n <= 5; n += 1) results.push(await push(n, n === 2 ? { full: true } : {}));

    const all = await rows();
    const newest = results[4]?.sync;
    expect(all.filter((row) => row.status === "queued").map((row) => row.headSha)).toEqual([sha(5)]);
    expect(newest).toMatchObject({ status: "queued", headSha: sha(5), full: true });
    // each push replaced the one queued before it: the chain of supersededById ends at the newest
    expect(all.slice(0, 4)).toEqual(
      [1, 2, 3, 4].map((n) =>
        expect.objectContaining({
          headSha: sha(n),
          status: "cancelled",
          errorCode: "SUPERSEDED",
          error: `Superseded by a newer request (sync ${results[n]?.sync.id} at ${sha(n + 1).slice(0, 7)})`,
          supersededById: results[n]?.sync.id,
          finishedAt: expect.any(Date),
        }),
      ),
    );
    expect(results[4]?.superseded.map((row) => row.headSha)).toEqual([sha(4)]);
  });

  it("concurrent pushes of one branch never leave two queued syncs", async () => {
    await Promise.all([1, 2, 3, 4, 5].map((n) => push(n)));

    const queued = (await rows()).filter((row) => row.status === "queued");
    expect(queued).toHaveLength(1);
    expect((await rows()).filter((row) => row.status === "cancelled")).toHaveLength(4);
  });

  it("never cancels a running sync, nor inline syncs, nor syncs of other branches", async () => {
    const running = await database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "main",
        trigger: "push",
        status: "running",
        headSha: sha(1),
      },
    });
    const inline = await database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "main", trigger: "manual", inline: true },
    });
    const other = await push(9, { branch: "dev", pushBefore: undefined, deliveryId: undefined });

    const result = await push(2);

    expect(result.superseded).toEqual([]);
    const byId = new Map((await rows()).map((row) => [row.id, row.status]));
    expect(byId.get(running.id)).toBe("running");
    expect(byId.get(inline.id)).toBe("queued");
    expect(byId.get(other.sync.id)).toBe("queued");
    expect(byId.get(result.sync.id)).toBe("queued");
  });

  it("a push delivered after a later push of the branch is recorded cancelled, superseded by the later one", async () => {
    const earlier = nextPushTime();
    const later = await push(3, { pushBefore: sha(2) });

    const stale = await push(2, { pushBefore: sha(1), pushedAt: earlier });

    expect(stale.sync).toMatchObject({
      status: "cancelled",
      errorCode: "SUPERSEDED",
      supersededById: later.sync.id,
      headSha: sha(2),
    });
    expect(stale.superseded).toEqual([]);
    expect((await rows()).find((row) => row.id === later.sync.id)?.status).toBe("queued");
  });

  it("a branch pushed back to an earlier head is not mistaken for a late delivery", async () => {
    await push(2, { pushBefore: sha(1) });
    await push(7, { pushBefore: sha(2) });

    const back = await push(2, { pushBefore: sha(7), deliveryId: "delivery-back" });

    expect(back.sync).toMatchObject({ status: "queued", headSha: sha(2) });
  });

  it("a sync asked for at a head the branch has left is stale; at a head it came back to, it is not", async () => {
    await push(2, { pushBefore: sha(1) });
    const moved = await push(3, { pushBefore: sha(2) });
    const asked = (n: number, deliveryId: string) =>
      enqueueSync(deps(), { repository, branch: "main", trigger: "comment", headSha: sha(n), deliveryId });

    const stale = await asked(2, "comment-1");
    await push(2, { pushBefore: sha(3), deliveryId: "delivery-back" });
    const current = await asked(2, "comment-2");

    expect(stale.sync).toMatchObject({
      status: "cancelled",
      errorCode: "SUPERSEDED",
      supersededById: moved.sync.id,
    });
    expect(current.sync).toMatchObject({ status: "queued", headSha: sha(2) });
  });

  it("a restore goes back to an earlier head on purpose: it is never taken for a late delivery", async () => {
    await push(2, { pushBefore: sha(1) });
    await push(3, { pushBefore: sha(2) });

    const restore = await enqueueSync(deps(), {
      repository,
      branch: "main",
      trigger: "restore",
      headSha: sha(2),
    });

    expect(restore.sync).toMatchObject({ status: "queued", trigger: "restore", headSha: sha(2) });
  });

  it("failWith records the sync failed at once and supersedes nothing", async () => {
    const queued = await push(1);

    const failed = await push(2, {
      failWith: new AppError("CONFIG_INVALID", "paths.include.0: expected string"),
    });

    expect(failed).toMatchObject({
      created: true,
      superseded: [],
      sync: {
        status: "failed",
        errorCode: "CONFIG_INVALID",
        error: "paths.include.0: expected string",
        checkRunState: "pending",
        finishedAt: expect.any(Date),
      },
    });
    expect((await rows()).find((row) => row.id === queued.sync.id)?.status).toBe("queued");
  });

  it("a branch deletion has no head and no check run, and supersedes the branch's queued pushes", async () => {
    const queued = await push(1);

    const deletion = await push(0, {
      headSha: ZERO,
      pushBefore: sha(1),
      deletesBranch: true,
      deliveryId: "del",
    });

    expect(deletion.sync).toMatchObject({
      status: "queued",
      deletesBranch: true,
      headSha: null,
      checkRunState: null,
    });
    expect(deletion.superseded.map((row) => row.id)).toEqual([queued.sync.id]);
    expect(deletion.superseded[0]?.error).toBe(
      `Superseded by a newer request (sync ${deletion.sync.id} deleting the branch)`,
    );
  });

  it("a branch deletion delivered after the push that re-created the branch is recorded cancelled, superseded by it", async () => {
    // the branch was at 1, deleted (1 → 0), then created again at 2 (0 → 2); the deletion's delivery comes last
    const deletedAt = nextPushTime();
    const recreated = await push(2, { pushBefore: ZERO });

    const deletion = await push(0, {
      headSha: ZERO,
      pushBefore: sha(1),
      deletesBranch: true,
      deliveryId: "del",
      pushedAt: deletedAt,
    });

    expect(deletion.sync).toMatchObject({
      status: "cancelled",
      errorCode: "SUPERSEDED",
      supersededById: recreated.sync.id,
      deletesBranch: true,
    });
    expect((await rows()).find((row) => row.id === recreated.sync.id)?.status).toBe("queued");
  });

  it("a deletion of a branch created and pushed since is not mistaken for a late delivery", async () => {
    await push(1, { pushBefore: ZERO });
    await push(2, { pushBefore: sha(1) });

    const deletion = await push(0, {
      headSha: ZERO,
      pushBefore: sha(2),
      deletesBranch: true,
      deliveryId: "del",
    });

    expect(deletion.sync).toMatchObject({ status: "queued", deletesBranch: true });
  });

  it.each([
    ["an invalid branch name", { branch: "bad..name" }, "branch"],
    ["a short head SHA", { headSha: "abc1234" }, "headSha"],
    ["an upper-case head SHA", { headSha: sha(1).toUpperCase().replace(/0/g, "A") }, "headSha"],
    ["a malformed before SHA", { pushBefore: "not-a-sha" }, "pushBefore"],
  ])("refuses %s with BAD_INPUT and writes nothing", async (_name, extra, field) => {
    const attempt = push(1, extra);

    await expect(attempt).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining(field),
    });
    expect(await rows()).toEqual([]);
  });

  it("refuses a repository the app was uninstalled from, writing nothing", async () => {
    await database.db.repository.update({ where: { id: repository.id }, data: { active: false } });

    await expect(push(1)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("not installed"),
    });
    expect(await rows()).toEqual([]);
  });
});
