import { describe, expect, it } from "@jest/globals";
import {
  CONFIG_PATH,
  createInstalledRepository,
  mockInstallationToken,
  NOT_FOUND,
  ORG_CONFIG_PATH,
  type ProjectSyncAppHarness,
  RAW,
  useProjectSyncApp,
  webhookFixture,
} from "../app/use-project-sync-app.js";
import { githubFixture, useNockGitHub } from "../helpers/nock-github.js";

const DOCS = "/repos/octo-org/docs-site";
const DOCS_CONFIG = `${DOCS}/contents/.github%2Fproject-sync.yml`;

function repositoryResponse(id: number, name: string, defaultBranch: string) {
  const fixture = githubFixture("repository.json");
  return {
    ...fixture,
    id,
    name,
    full_name: `octo-org/${name}`,
    owner: { ...fixture.owner, login: "octo-org" },
    default_branch: defaultBranch,
  };
}

describe("installation webhooks", () => {
  const github = useNockGitHub();
  let app: ProjectSyncAppHarness;
  useProjectSyncApp((harness) => {
    app = harness;
  });
  const syncs = () =>
    app.database.db.projectSync.findMany({ include: { repository: true }, orderBy: { createdAt: "asc" } });

  it("installation.created: every repository stored with its config and a first sync of its default branch", async () => {
    mockInstallationToken(github);
    github
      .api()
      .get("/repos/octo-org/hello-world")
      .reply(200, repositoryResponse(1296269, "hello-world", "main"))
      .get(CONFIG_PATH)
      .reply(404, NOT_FOUND)
      .get(ORG_CONFIG_PATH)
      .reply(404, NOT_FOUND);
    github
      .api()
      .get(DOCS)
      .reply(200, repositoryResponse(1300192, "docs-site", "gh-pages"))
      .get(DOCS_CONFIG)
      .reply(200, "paths:\n  exclude: ['*.png']\n", RAW);

    await app.receive("installation", webhookFixture("installation.created.json"), "install-1");

    const queued = await syncs();
    expect(
      queued
        .map((sync) => ({
          repository: sync.repository.key,
          branch: sync.branch,
          trigger: sync.trigger,
          status: sync.status,
          headSha: sync.headSha,
          deliveryId: sync.deliveryId,
          checkRunState: sync.checkRunState,
        }))
        .sort((a, b) => a.repository.localeCompare(b.repository)),
    ).toEqual([
      {
        repository: "octo-org/docs-site",
        branch: "gh-pages",
        trigger: "install",
        status: "queued",
        headSha: null,
        deliveryId: "install-1:1300192",
        checkRunState: "pending",
      },
      {
        repository: "octo-org/hello-world",
        branch: "main",
        trigger: "install",
        status: "queued",
        headSha: null,
        deliveryId: "install-1:1296269",
        checkRunState: "pending",
      },
    ]);
    expect(
      await app.database.db.repository.findUnique({ where: { key: "octo-org/docs-site" } }),
    ).toMatchObject({
      installationId: 4242n,
      active: true,
      config: { paths: { exclude: ["*.png"] } },
      configLoadedAt: expect.any(Date),
    });
    expect(app.calls.filter((call) => call.startsWith("enqueued:"))).toHaveLength(2);
  });

  it("installation_repositories.added: the added repository gets its first sync; one failing does not stop others", async () => {
    const payload = webhookFixture("installation_repositories.added.json");
    payload.repositories_added.push({ id: 5, name: "gone", full_name: "octo-org/gone", private: false });
    mockInstallationToken(github);
    github
      .api()
      .get(DOCS)
      .reply(200, repositoryResponse(1300192, "docs-site", "main"));
    github.api().get(DOCS_CONFIG).reply(200, "branches: [main]\n", RAW);
    github.api().get("/repos/octo-org/gone").reply(404, NOT_FOUND);

    await app.receive("installation_repositories", payload, "added-1");

    expect((await syncs()).map((sync) => [sync.repository.key, sync.trigger, sync.deliveryId])).toEqual([
      ["octo-org/docs-site", "install", "added-1:1300192"],
    ]);
  });

  it("installation.deleted: repositories inactive, queued syncs cancelled with check runs skipped, memory kept", async () => {
    const repository = await createInstalledRepository(app.database);
    const other = await app.database.db.repository.create({
      data: {
        githubId: 99n,
        key: "someone/else",
        owner: "someone",
        name: "else",
        defaultBranch: "main",
        installationId: 1n,
      },
    });
    const queued = await app.database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "main", trigger: "push", checkRunState: "pending" },
    });
    const plain = await app.database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "dev", trigger: "manual" },
    });
    const untouched = await app.database.db.projectSync.create({
      data: { repositoryId: other.id, branch: "main", trigger: "push", checkRunState: "pending" },
    });

    await app.receive("installation", webhookFixture("installation.deleted.json"));

    expect(await app.database.db.repository.findUnique({ where: { id: repository.id } })).toMatchObject({
      active: false,
      deactivatedAt: expect.any(Date),
    });
    const after = await app.database.db.projectSync.findMany({ orderBy: { createdAt: "asc" } });
    expect(after.map((sync) => [sync.id, sync.status, sync.checkRunState, sync.errorCode])).toEqual([
      [queued.id, "cancelled", "skipped", "FORBIDDEN"],
      [plain.id, "cancelled", null, "FORBIDDEN"],
      [untouched.id, "queued", "pending", null],
    ]);
    expect(await app.database.db.repository.findUnique({ where: { id: other.id } })).toMatchObject({
      active: true,
    });
    expect(github.requests()).toEqual([]);
  });

  it("installation_repositories.removed: only the removed repositories become inactive", async () => {
    const kept = await createInstalledRepository(app.database);
    const removed = await app.database.db.repository.create({
      data: {
        githubId: 1300192n,
        key: "octo-org/docs-site",
        owner: "octo-org",
        name: "docs-site",
        defaultBranch: "main",
        installationId: 4242n,
      },
    });

    await app.receive("installation_repositories", webhookFixture("installation_repositories.removed.json"));

    const rows = await app.database.db.repository.findMany({ orderBy: { key: "asc" } });
    expect(rows.map((row) => [row.id, row.active])).toEqual([
      [removed.id, false],
      [kept.id, true],
    ]);
  });

  it("suspend makes the installation's repositories inactive; unsuspend re-activates them and syncs each", async () => {
    await createInstalledRepository(app.database);

    await app.receive("installation", webhookFixture("installation.suspend.json"));
    const suspended = await app.database.db.repository.findFirst();
    mockInstallationToken(github);
    github
      .api()
      .get("/repos/octo-org/hello-world")
      .reply(200, repositoryResponse(1296269, "hello-world", "main"));
    github.api().get(CONFIG_PATH).reply(404, NOT_FOUND).get(ORG_CONFIG_PATH).reply(404, NOT_FOUND);
    await app.receive("installation", webhookFixture("installation.unsuspend.json"), "unsuspend-1");

    expect(suspended?.active).toBe(false);
    expect(await app.database.db.repository.findFirst()).toMatchObject({ active: true, deactivatedAt: null });
    expect((await syncs()).map((sync) => [sync.trigger, sync.deliveryId])).toEqual([
      ["install", "unsuspend-1:1296269"],
    ]);
  });
});
