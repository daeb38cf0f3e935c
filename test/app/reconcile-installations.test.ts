import { describe, expect, it } from "@jest/globals";
import { reconcileInstallations } from "../../src/app/reconcile-installations.js";
import { githubFixture, useNockGitHub } from "../helpers/nock-github.js";
import {
  createInstalledRepository,
  INSTALLATION_ID,
  mockInstallationToken,
  type ProjectSyncAppHarness,
  RAW,
  useProjectSyncApp,
} from "./use-project-sync-app.js";

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

    const first = await reconcile();
    const requestsAfterFirst = github.requests().length;
    const second = await reconcile();

    expect(first).toEqual({ installations: 1, repositories: 2, queued: 1, deactivated: 1 });
    expect(second).toEqual({ installations: 1, repositories: 2, queued: 0, deactivated: 0 });
    expect(github.requests().length - requestsAfterFirst).toBe(2);
    const rows = await app.database.db.repository.findMany({ orderBy: { key: "asc" } });
    expect(rows.map((row) => [row.key, row.active])).toEqual([
      ["octo-org/docs-site", true],
      ["octo-org/hello-world", true],
      ["octo-org/old", false],
      ["someone/cli", true],
    ]);
    const queued = await app.database.db.projectSync.findMany({ where: { status: "queued" } });
    expect(queued).toEqual([
      expect.objectContaining({
        trigger: "reconcile",
        branch: "main",
        deliveryId: "reconcile:1300192",
        checkRunState: "pending",
      }),
    ]);
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

    expect(result).toEqual({ installations: 1, repositories: 0, queued: 0, deactivated: 0 });
    expect(await app.database.db.repository.findFirst()).toMatchObject({ active: true });
  });

  it("treats a suspended installation's repositories as lost", async () => {
    await createInstalledRepository(app.database);
    github
      .api()
      .get(INSTALLATIONS)
      .reply(200, [{ id: INSTALLATION_ID, suspended_at: "2026-11-20T10:00:00Z" }]);

    const result = await reconcile();

    expect(result).toEqual({ installations: 1, repositories: 0, queued: 0, deactivated: 1 });
    expect(await app.database.db.repository.findFirst()).toMatchObject({ active: false });
  });
});
