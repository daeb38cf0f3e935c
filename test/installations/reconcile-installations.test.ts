import { describe, expect, it } from "@jest/globals";
import { reconcileInstallations } from "../../src/installations/reconcile-installations.js";
import {
  createInstalledRepository,
  INSTALLATION_ID,
  mockInstallationToken,
  type ProjectSyncAppHarness,
  RAW,
  useProjectSyncApp,
} from "../app/use-project-sync-app.js";
import { githubFixture, useNockGitHub } from "../helpers/nock-github.js";

const INSTALLATIONS = "/app/installations?per_page=100&page=1";
const REPOSITORIES = "/installation/repositories?per_page=100&page=1";
const DOCS_CONFIG = "/repos/octo-org/docs-site/contents/.github%2Fproject-sync.yml";

function listed(id: number, name: string) {
  const fixture = githubFixture("repository.json");
  return {
    ...fixture,
    id,
    name,
    full_name: `octo-org/${name}`,
    owner: { ...fixture.owner, login: "octo-org" },
    default_branch: "main",
  };
}

const HELLO_BRANCHES = "/repos/octo-org/hello-world/branches?per_page=100";
const DOCS_BRANCHES = "/repos/octo-org/docs-site/branches?per_page=100";
const HEAD_A = "a".repeat(40);
const HEAD_B = "b".repeat(40);
const HEAD_C = "c".repeat(40);

function branch(name: string, sha: string) {
  return {
    name,
    commit: { sha, url: `https://api.github.com/repos/octo-org/x/commits/${sha}` },
    protected: false,
  };
}

describe("reconcileInstallations", () => {
  const github = useNockGitHub();
  let app: ProjectSyncAppHarness;
  useProjectSyncApp((harness) => {
    app = harness;
  });
  const reconcile = () =>
    reconcileInstallations(app.deps, {
      appClient: () => app.probot.auth(),
      installationClient: (id) => app.probot.auth(id),
    });

  it("upserts what the app can reach, queues first syncs, and deactivates what it lost; a second pass is cheap", async () => {
    const synced = await createInstalledRepository(app.database);
    await app.database.db.projectSync.create({
      data: { repositoryId: synced.id, branch: "main", trigger: "push", status: "succeeded" },
    });
    await app.database.db.repository.create({
      data: {
        githubId: 7n,
        key: "octo-org/old",
        owner: "octo-org",
        name: "old",
        defaultBranch: "main",
        installationId: 4242n,
      },
    });
    await app.database.db.repository.create({
      data: { githubId: 8n, key: "someone/cli", owner: "someone", name: "cli", defaultBranch: "main" },
    });
    github
      .api()
      .get(INSTALLATIONS)
      .times(2)
      .reply(200, [{ id: INSTALLATION_ID, account: { login: "octo-org" }, suspended_at: null }]);
    mockInstallationToken(github);
    github
      .api()
      .get(REPOSITORIES)
      .times(2)
      .reply(200, {
        total_count: 2,
        repositories: [listed(1296269, "hello-world"), listed(1300192, "docs-site")],
      });
    github.api().get(DOCS_CONFIG).reply(200, "branches: [main]\n", RAW);
    // hello-world was synced before (at no known head): its main is caught up once, then it is on its way
    github
      .api()
      .get(HELLO_BRANCHES)
      .times(2)
      .reply(200, [branch("main", HEAD_B)]);
    // docs-site's first sync resolves its head when it runs, so the second pass queues nothing more
    github
      .api()
      .get(DOCS_BRANCHES)
      .reply(200, [branch("main", HEAD_A)]);

    const first = await reconcile();
    const requestsAfterFirst = github.requests().length;
    const second = await reconcile();

    expect(first).toEqual({ installations: 1, repositories: 2, queued: 1, caughtUp: 1, deactivated: 1 });
    expect(second).toEqual({ installations: 1, repositories: 2, queued: 0, caughtUp: 0, deactivated: 0 });
    // installations, repositories, and one branch listing per synced repository
    expect(github.requests().length - requestsAfterFirst).toBe(4);
    const rows = await app.database.db.repository.findMany({ orderBy: { key: "asc" } });
    expect(rows.map((row) => [row.key, row.active])).toEqual([
      ["octo-org/docs-site", true],
      ["octo-org/hello-world", true],
      ["octo-org/old", false],
      ["someone/cli", true],
    ]);
    const queued = await app.database.db.projectSync.findMany({ where: { status: "queued" } });
    expect(queued).toHaveLength(2);
    expect(queued).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          trigger: "reconcile",
          branch: "main",
          deliveryId: "reconcile:1300192",
          checkRunState: "pending",
        }),
        expect.objectContaining({
          repositoryId: synced.id,
          trigger: "reconcile",
          branch: "main",
          headSha: HEAD_B,
          checkRunState: "pending",
        }),
      ]),
    );
  });

  it("catches up pushes and branch deletions it never heard of, only for branches memory keeps, once", async () => {
    const repository = await createInstalledRepository(app.database);
    const succeeded = (branchName: string, headSha: string, generation = 1) =>
      app.database.db.projectSync.create({
        data: {
          repositoryId: repository.id,
          branch: branchName,
          trigger: "push",
          status: "succeeded",
          headSha,
          generation,
        },
      });
    await succeeded("main", HEAD_A);
    await succeeded("main", HEAD_B, 2);
    await succeeded("feature", HEAD_A);
    await succeeded("docs", HEAD_A);
    github
      .api()
      .get(INSTALLATIONS)
      .times(2)
      .reply(200, [{ id: INSTALLATION_ID, account: { login: "octo-org" }, suspended_at: null }]);
    mockInstallationToken(github);
    github
      .api()
      .get(REPOSITORIES)
      .times(2)
      .reply(200, { total_count: 1, repositories: [listed(1296269, "hello-world")] });
    // main moved on (B → C), docs is where memory has it, feature was deleted, stale was never synced
    github
      .api()
      .get(HELLO_BRANCHES)
      .times(2)
      .reply(200, [branch("docs", HEAD_A), branch("main", HEAD_C), branch("stale", HEAD_A)]);

    const first = await reconcile();
    const second = await reconcile();

    expect(first).toMatchObject({ queued: 0, caughtUp: 2 });
    expect(second).toMatchObject({ queued: 0, caughtUp: 0 });
    const queued = await app.database.db.projectSync.findMany({
      where: { status: "queued" },
      orderBy: { branch: "asc" },
    });
    expect(
      queued.map((sync) => [sync.branch, sync.trigger, sync.headSha, sync.deletesBranch, sync.checkRunState]),
    ).toEqual([
      ["feature", "reconcile", null, true, null],
      ["main", "reconcile", HEAD_C, false, "pending"],
    ]);
  });

  describe("catch-up", () => {
    const listing = (branches: ReturnType<typeof branch>[], times = 1, token = true) => {
      github
        .api()
        .get(INSTALLATIONS)
        .times(times)
        .reply(200, [{ id: INSTALLATION_ID, account: { login: "octo-org" }, suspended_at: null }]);
      // the installation token is cached after the first reconcile
      if (token) mockInstallationToken(github);
      github
        .api()
        .get(REPOSITORIES)
        .times(times)
        .reply(200, { total_count: 1, repositories: [listed(1296269, "hello-world")] });
      github.api().get(HELLO_BRANCHES).times(times).reply(200, branches);
    };
    const succeeded = (repositoryId: string, data: { branch: string; headSha: string; generation: number }) =>
      app.database.db.projectSync.create({
        data: { repositoryId, trigger: "push", status: "succeeded", ...data },
      });

    it("queues a catch-up that failed again at the next reconcile (it used to be taken for a duplicate)", async () => {
      const repository = await createInstalledRepository(app.database);
      await succeeded(repository.id, { branch: "main", headSha: HEAD_A, generation: 1 });
      listing([branch("main", HEAD_B)], 2);

      await reconcile();
      const first = await app.database.db.projectSync.findFirstOrThrow({ where: { trigger: "reconcile" } });
      await app.database.db.projectSync.update({
        where: { id: first.id },
        data: { status: "failed", errorCode: "GITHUB_UNAVAILABLE", finishedAt: new Date() },
      });
      const second = await reconcile();

      expect(second).toMatchObject({ caughtUp: 1 });
      const catchUps = await app.database.db.projectSync.findMany({
        where: { trigger: "reconcile" },
        orderBy: { createdAt: "asc" },
      });
      expect(catchUps.map((sync) => [sync.status, sync.headSha])).toEqual([
        ["failed", HEAD_B],
        ["queued", HEAD_B],
      ]);
      expect(catchUps[1]?.deliveryId).toBe(`${catchUps[0]?.deliveryId}:2`);
    });

    it("catches up a branch whose name is 200 characters long (its delivery id stays short)", async () => {
      const repository = await createInstalledRepository(app.database);
      const long = `feature/${"x".repeat(192)}`;
      await succeeded(repository.id, { branch: "main", headSha: HEAD_A, generation: 1 });
      await succeeded(repository.id, { branch: long, headSha: HEAD_A, generation: 1 });
      listing([branch("main", HEAD_A), branch(long, HEAD_B)]);

      const result = await reconcile();

      expect(result).toMatchObject({ caughtUp: 1 });
      const sync = await app.database.db.projectSync.findFirstOrThrow({ where: { trigger: "reconcile" } });
      expect(sync).toMatchObject({ branch: long, headSha: HEAD_B, status: "queued" });
      expect(sync.deliveryId).toMatch(/^reconcile:[0-9a-f]{40}$/);
    });

    it("leaves memory a restore put back until the branch's head moves on GitHub", async () => {
      const repository = await createInstalledRepository(app.database);
      await succeeded(repository.id, { branch: "main", headSha: HEAD_A, generation: 1 });
      await succeeded(repository.id, { branch: "main", headSha: HEAD_B, generation: 2 });
      await app.database.db.projectSync.create({
        data: {
          repositoryId: repository.id,
          branch: "main",
          trigger: "restore",
          status: "succeeded",
          headSha: HEAD_A,
          generation: 3,
        },
      });
      listing([branch("main", HEAD_B)]);
      const held = await reconcile();
      listing([branch("main", HEAD_C)], 1, false);
      const moved = await reconcile();

      expect([held.caughtUp, moved.caughtUp]).toEqual([0, 1]);
      const sync = await app.database.db.projectSync.findFirstOrThrow({ where: { trigger: "reconcile" } });
      expect(sync.headSha).toBe(HEAD_C);
    });

    it("records a catch-up stale when a push of the branch was recorded after the branches were listed", async () => {
      const repository = await createInstalledRepository(app.database);
      await succeeded(repository.id, { branch: "main", headSha: HEAD_A, generation: 1 });
      await succeeded(repository.id, { branch: "feature", headSha: HEAD_A, generation: 1 });
      // feature is gone from the listing, but it is pushed again while the reconcile runs
      github
        .api()
        .get(INSTALLATIONS)
        .reply(200, [{ id: INSTALLATION_ID, account: { login: "octo-org" }, suspended_at: null }]);
      mockInstallationToken(github);
      github
        .api()
        .get(REPOSITORIES)
        .reply(200, { total_count: 1, repositories: [listed(1296269, "hello-world")] });
      github
        .api()
        .get(HELLO_BRANCHES)
        .reply(async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          await app.database.db.projectSync.create({
            data: {
              repositoryId: repository.id,
              branch: "feature",
              trigger: "push",
              headSha: HEAD_C,
              pushBefore: "0".repeat(40),
            },
          });
          return [200, [branch("main", HEAD_A)]];
        });

      const result = await reconcile();

      expect(result).toMatchObject({ caughtUp: 0 });
      const deletion = await app.database.db.projectSync.findFirstOrThrow({
        where: { trigger: "reconcile" },
      });
      expect(deletion).toMatchObject({ deletesBranch: true, status: "cancelled", errorCode: "SUPERSEDED" });
      expect(
        await app.database.db.projectSync.count({ where: { branch: "feature", status: "queued" } }),
      ).toBe(1);
    });
  });

  it("deactivates nothing of an installation whose repositories could not be listed", async () => {
    await createInstalledRepository(app.database);
    github
      .api()
      .get(INSTALLATIONS)
      .reply(200, [{ id: INSTALLATION_ID, suspended_at: null }]);
    mockInstallationToken(github);
    github.api().get(REPOSITORIES).reply(502, { message: "Bad gateway" });

    const result = await reconcile();

    expect(result).toEqual({ installations: 1, repositories: 0, queued: 0, caughtUp: 0, deactivated: 0 });
    expect(await app.database.db.repository.findFirst()).toMatchObject({ active: true });
  });

  it("treats a suspended installation's repositories as lost", async () => {
    await createInstalledRepository(app.database);
    github
      .api()
      .get(INSTALLATIONS)
      .reply(200, [{ id: INSTALLATION_ID, suspended_at: "2026-11-20T10:00:00Z" }]);

    const result = await reconcile();

    expect(result).toEqual({ installations: 1, repositories: 0, queued: 0, caughtUp: 0, deactivated: 1 });
    expect(await app.database.db.repository.findFirst()).toMatchObject({ active: false });
  });
});
