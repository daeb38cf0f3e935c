import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate-repository.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import { silentLogger } from "../../src/logger.js";
import { executeSync } from "../../src/service/execute-sync.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import { requestRestore } from "../../src/service/request-restore.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { runQueuedSync } from "../../src/sync/run-queued-sync.js";
import type { SyncDeps } from "../../src/sync/sync-context.js";
import type { SyncEvent } from "../../src/sync/sync-event.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import { type EnqueueSyncOptions, enqueueSync } from "../../src/sync-record/enqueue-sync.js";
import { memoryOf, simulatorDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "../sim/use-simulator.js";

const TREES = "GET /repos/{owner}/{repo}/git/trees/{sha}";
const GRAPHQL = "POST /graphql";
const COMPARE = "GET /repos/{owner}/{repo}/compare/{base}...{head}";
const ZERO = "0".repeat(40);

function treeAt(fixture: SimulatorFixture, sha: string, filter: (path: string) => boolean = () => true) {
  return Object.fromEntries(
    gitTree(fixture, sha)
      .filter((entry) => entry.type !== "tree" && filter(entry.path))
      .map((entry) => [entry.path, `${entry.mode} ${entry.sha}`]),
  );
}

function only(requests: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(requests).filter(([, count]) => count > 0));
}

/**
 * The engine changes the queue relies on, against the git-backed simulator: branch deletion and re-creation, a new
 * branch built on the default branch through compare, the repository config's digest, the head persisted after
 * phase 1, retryable errors, and what a sync that cannot start leaves behind.
 */
describe("engine for the queue (simulator)", () => {
  const fixture = useSimulator({ files: 300, seed: 11 });
  let database: TestDatabase;
  let deps: ServiceDeps;
  let repository: Repository;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    deps = simulatorDeps(database, fixture.address.apiUrl);
    await database.db.repository.deleteMany();
    fixture.sim.setBranch(OWNER, NAME, "main", fixture.repo.headSha);
    fixture.sim.clearFaults();
    repository = await ensureRepository(deps, `${OWNER}/${NAME}`);
  });

  const syncDeps = (overrides: Partial<SyncDeps> = {}): SyncDeps => ({
    db: database.db,
    github: createOctokit({
      auth: "ghs_test",
      baseUrl: fixture.address.apiUrl,
      retry: false,
      throttle: false,
      log: silentLogger,
    }),
    now: () => new Date(),
    log: silentLogger,
    maxFileSizeBytes: 1024 * 1024,
    ...overrides,
  });

  /** Queues a sync and runs it with the engine; GitHub requests of the run are in `requests`. */
  async function run(
    options: Omit<EnqueueSyncOptions, "repository" | "trigger"> & { trigger?: EnqueueSyncOptions["trigger"] },
    overrides: Partial<SyncDeps> = {},
    onEvent: (event: SyncEvent) => Promise<void> = async () => {},
  ): Promise<{ sync: SyncView; events: SyncEvent[]; requests: Record<string, number> }> {
    const { sync: queued } = await enqueueSync(deps, { repository, trigger: "push", ...options });
    fixture.sim.resetStats();
    const events: SyncEvent[] = [];
    const generator = runQueuedSync(syncDeps(overrides), queued.id);
    for (;;) {
      const next = await generator.next();
      if (next.done) return { sync: next.value, events, requests: only(fixture.sim.stats().requests) };
      events.push(next.value);
      await onEvent(next.value);
    }
  }

  const push = (sha: string, branch = "main", overrides: Partial<SyncDeps> = {}) => {
    fixture.sim.setBranch(OWNER, NAME, branch, sha);
    return run({ branch, headSha: sha }, overrides);
  };

  it("a sync of a branch GitHub renamed fails naming the new name, leaving the old name's memory as it was", async () => {
    const start = await commitChanges({
      gitDir: fixture.repo.gitDir,
      parent: fixture.repo.headSha,
      changes: { "renamed/one.txt": "1\n" },
    });
    await push(start, "old-name");
    const kept = await memoryOf(deps, repository, "old-name");
    fixture.sim.renameBranch(OWNER, NAME, "old-name", "new-name");

    // asked for by hand (CLI, /sync, Re-run, REST): the head is looked up by the branch's name
    const manual = await run({ branch: "old-name", trigger: "manual" });

    expect(manual.sync).toMatchObject({ status: "failed", error: { code: "BRANCH_RENAMED" } });
    expect(manual.sync.error?.message).toContain(
      'was renamed to "new-name" on GitHub; sync "new-name" instead',
    );
    expect(await memoryOf(deps, repository, "old-name")).toEqual(kept);
    expect(await memoryOf(deps, repository, "new-name")).toEqual({});
  });

  it("a deletion the catch-up inferred checks the branch is still gone, and keeps the memory of one pushed again", async () => {
    await push(fixture.repo.headSha);
    const again = await commitChanges({
      gitDir: fixture.repo.gitDir,
      parent: fixture.repo.headSha,
      changes: { "back/again.txt": "1\n" },
    });
    await push(again, "back");
    const before = await memoryOf(deps, repository, "back");

    // the branch exists on GitHub: the catch-up's listing was older than its re-creation
    const kept = await run({ branch: "back", deletesBranch: true, trigger: "reconcile" });
    const after = await memoryOf(deps, repository, "back");
    fixture.sim.deleteBranch(OWNER, NAME, "back");
    const retired = await run({ branch: "back", deletesBranch: true, trigger: "reconcile" });

    expect(kept.sync).toMatchObject({ status: "failed", error: { code: "CONFLICT" } });
    expect(kept.sync.error?.message).toContain('Branch "back" exists again on GitHub');
    expect(kept.requests).toEqual({ "GET /repos/{owner}/{repo}/branches/{branch}": 1 });
    expect(before).not.toEqual({});
    expect(after).toEqual(before);
    expect(retired.sync.status).toBe("succeeded");
    expect(await memoryOf(deps, repository, "back")).toEqual({});
  });

  it("a branch deletion retires every entry without a GitHub request; a re-created branch starts again from nothing", async () => {
    const gitDir = fixture.repo.gitDir;
    await push(fixture.repo.headSha);
    const first = await commitChanges({
      gitDir,
      parent: fixture.repo.headSha,
      changes: { "feature/one.txt": "1\n" },
    });
    const feature = await push(first, "feature");
    const files = Object.keys(treeAt(fixture, first)).length;

    fixture.sim.deleteBranch(OWNER, NAME, "feature");
    const deletion = await run({ branch: "feature", deletesBranch: true, pushBefore: first });

    expect(deletion.requests).toEqual({});
    expect(deletion.sync).toMatchObject({
      status: "succeeded",
      headSha: null,
      previousSyncId: feature.sync.id,
      counts: { added: 0, modified: 0, removed: files, renamed: 0, unchanged: 0 },
    });
    expect(await memoryOf(deps, repository, "feature")).toEqual({});
    expect(
      await database.db.memoryEntry.count({
        where: { supersededBySyncId: deletion.sync.id, status: "superseded" },
      }),
    ).toBe(files);
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha));

    const again = await commitChanges({
      gitDir,
      parent: fixture.repo.headSha,
      changes: { "feature/two.txt": "2\n" },
    });
    fixture.sim.setBranch(OWNER, NAME, "feature", again);
    const recreated = await run({ branch: "feature", headSha: again, pushBefore: ZERO });

    expect(recreated.sync).toMatchObject({
      status: "succeeded",
      previousSyncId: deletion.sync.id,
      headSha: again,
      counts: { added: 1, removed: 0, modified: 0 },
    });
    expect(await memoryOf(deps, repository, "feature")).toEqual(treeAt(fixture, again));
  });

  it("a new branch in a large tree is read through compare on the default branch's head: two requests plus content", async () => {
    const main = await push(fixture.repo.headSha);
    const head = await commitChanges({
      gitDir: fixture.repo.gitDir,
      parent: fixture.repo.headSha,
      changes: { modify: 3, add: 2, remove: 1 },
      seed: 21,
    });
    const large = { compareMinFiles: 100 };

    const branch = await push(head, "topic", large);

    // compare, one GraphQL query for the touched folders' entries, one for the new content
    expect(branch.requests).toEqual({ [COMPARE]: 1, [GRAPHQL]: 2 });
    expect(branch.sync).toMatchObject({
      status: "succeeded",
      baseSyncId: main.sync.id,
      baseSha: fixture.repo.headSha,
      counts: { added: 2, removed: 1, modified: 3 },
    });
    expect(await memoryOf(deps, repository, "topic")).toEqual(treeAt(fixture, head));

    const same = await push(fixture.repo.headSha, "same", large);

    expect(same.requests).toEqual({ [COMPARE]: 1, [GRAPHQL]: 1 });
    expect(await memoryOf(deps, repository, "same")).toEqual(treeAt(fixture, fixture.repo.headSha));

    const small = await push(head, "small");

    expect(small.requests).toEqual({ [TREES]: 1 });
    expect(await memoryOf(deps, repository, "small")).toEqual(treeAt(fixture, head));
  });

  it("a new branch built on the default branch takes that branch's memory at the compared head, even when the default branch moves on meanwhile", async () => {
    await push(fixture.repo.headSha);
    const topic = await commitChanges({
      gitDir: fixture.repo.gitDir,
      parent: fixture.repo.headSha,
      changes: { "topic-only.txt": "topic\n" },
    });
    const mainLater = await commitChanges({
      gitDir: fixture.repo.gitDir,
      parent: fixture.repo.headSha,
      changes: { "later/on-main.txt": "main moved on\n" },
    });
    const github = syncDeps().github as GitHubClient;
    // While the new branch compares with main's synced head, a sync of main finishes (another worker, another branch)
    const racing: GitHubClient = {
      request: (async (route: unknown, parameters: unknown) => {
        if (String(route).includes("/compare/")) await push(mainLater, "main");
        return (github.request as (route: unknown, parameters: unknown) => Promise<unknown>)(
          route,
          parameters,
        );
      }) as GitHubClient["request"],
      graphql: github.graphql,
    };

    const branch = await push(topic, "topic", { compareMinFiles: 100, github: racing });

    expect(branch.sync.status).toBe("succeeded");
    expect(await memoryOf(deps, repository, "topic")).toEqual(treeAt(fixture, topic));
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, mainLater));
  });

  it("a new branch whose default branch was synced under another config lists its tree instead of comparing", async () => {
    await push(fixture.repo.headSha, "main", { configDigest: "digest-a" });

    const branch = await push(fixture.repo.headSha, "other", {
      compareMinFiles: 100,
      configDigest: "digest-b",
    });

    expect(branch.requests).toEqual({ [TREES]: 1 });
    expect(await memoryOf(deps, repository, "other")).toEqual(treeAt(fixture, fixture.repo.headSha));
  });

  it("a changed config digest is never 'unchanged': the tree is listed, newly included paths and a raised size cap are applied", async () => {
    const excluded = (fixture.repo.paths.find((path) => path.includes("/")) as string).split(
      "/",
    )[0] as string;
    const filter = (path: string) => !path.startsWith(`${excluded}/`);
    const before = { configDigest: "digest-a", pathFilter: filter, maxFileSizeBytes: 2000 };
    const first = await push(fixture.repo.headSha, "main", before);
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha, filter));
    const tooLarge = await database.db.repositoryFile.findMany({
      where: { repositoryId: repository.id, omitted: "too_large", size: { lte: 1024 * 1024 } },
    });
    expect(tooLarge.length).toBeGreaterThan(0);
    expect(first.sync.status).toBe("succeeded");

    const unchanged = await push(fixture.repo.headSha, "main", before);
    expect(unchanged.requests).toEqual({});

    const changed = await push(fixture.repo.headSha, "main", { configDigest: "digest-b" });

    expect(changed.requests[TREES]).toBe(1);
    expect(changed.sync.counts.added).toBeGreaterThan(0);
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha));
    const refilled = await database.db.repositoryFile.findMany({
      where: { repositoryId: repository.id, sha: { in: tooLarge.map((file) => file.sha) } },
    });
    expect(refilled.filter((file) => file.omitted === "too_large" || file.content === null)).toEqual(
      refilled.filter((file) => file.isBinary),
    );
    const text = refilled.find((file) => !file.isBinary);
    expect(text?.content).toBe(
      fixture
        .blobs([text?.sha as string])
        .get(text?.sha as string)
        ?.toString("utf8"),
    );
    expect(await database.db.projectSync.findUnique({ where: { id: changed.sync.id } })).toMatchObject({
      configDigest: "digest-b",
    });
  });

  it("a restore records the config its memory was made under, so a sync under today's config re-reads the tree", async () => {
    const excluded = (fixture.repo.paths.find((path) => path.includes("/")) as string).split(
      "/",
    )[0] as string;
    const filter = (path: string) => !path.startsWith(`${excluded}/`);
    const narrow = await push(fixture.repo.headSha, "main", { configDigest: "digest-a", pathFilter: filter });
    await push(fixture.repo.headSha, "main", { configDigest: "digest-b" });
    const queued = await requestRestore(deps, { syncId: narrow.sync.id });
    // the worker runs it under the repository's config of today
    const restoring = runQueuedSync(syncDeps({ configDigest: "digest-b" }), queued.id);
    let step = await restoring.next();
    while (!step.done) step = await restoring.next();
    expect(step.value.status).toBe("succeeded");
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha, filter));

    const again = await push(fixture.repo.headSha, "main", { configDigest: "digest-b" });

    expect(again.sync.status).toBe("succeeded");
    expect(await memoryOf(deps, repository)).toEqual(treeAt(fixture, fixture.repo.headSha));
  });

  it("a manual sync stores the head it resolved before it leaves phase 1", async () => {
    const seen: Record<string, string | null | undefined> = {};

    const { sync } = await run({ trigger: "manual" }, {}, async (event) => {
      if (event.type !== "phase" || !event.phase) return;
      const row = await database.db.projectSync.findUnique({ where: { id: event.syncId } });
      seen[event.phase] = row?.headSha;
    });

    expect(seen).toEqual({
      resolve: null,
      diff: fixture.repo.headSha,
      fetch: fixture.repo.headSha,
      finalize: fixture.repo.headSha,
    });
    expect(sync.headSha).toBe(fixture.repo.headSha);
  });

  it("a failure says whether a retry may succeed, and when GitHub's rate limit resets", async () => {
    fixture.sim.injectFault({ route: TREES, times: 1, kind: "502" });
    const unavailable = await push(fixture.repo.headSha);
    expect(unavailable.events.at(-1)?.error).toMatchObject({ code: "GITHUB_UNAVAILABLE", retryable: true });

    fixture.sim.injectFault({ route: TREES, times: 1, kind: "rate-limit" });
    const limited = await push(fixture.repo.headSha);
    const error = limited.events.at(-1)?.error;
    expect(error).toMatchObject({ code: "GITHUB_RATE_LIMITED", retryable: true });
    const resetIn = new Date(error?.retryAt as string).getTime() - Date.now();
    expect(resetIn).toBeGreaterThan(0);
    expect(resetIn).toBeLessThanOrEqual(61_000);

    await database.db.repository.update({ where: { id: repository.id }, data: { name: "missing" } });
    const notFound = await push(fixture.repo.headSha);
    expect(notFound.events.at(-1)?.error).toMatchObject({ retryable: false });
  });

  it("a sync that cannot start is cancelled by default, kept queued with ifBusy 'keep'", async () => {
    await database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "main",
        trigger: "push",
        status: "running",
        startedAt: new Date(),
        heartbeatAt: new Date(),
      },
    });
    const kept = await enqueueSync(deps, { repository, trigger: "manual" });

    await expect(executeSync(deps, { syncId: kept.sync.id, ifBusy: "keep" })).rejects.toMatchObject({
      code: "SYNC_IN_PROGRESS",
    });
    expect((await database.db.projectSync.findUnique({ where: { id: kept.sync.id } }))?.status).toBe(
      "queued",
    );

    await expect(executeSync(deps, { syncId: kept.sync.id })).rejects.toMatchObject({
      code: "SYNC_IN_PROGRESS",
    });
    expect((await database.db.projectSync.findUnique({ where: { id: kept.sync.id } }))?.status).toBe(
      "cancelled",
    );
  });
});
