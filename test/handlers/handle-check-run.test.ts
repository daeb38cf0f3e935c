import { describe, expect, it } from "@jest/globals";
import {
  createInstalledRepository,
  mockInstallationToken,
  type ProjectSyncAppHarness,
  useProjectSyncApp,
  webhookFixture,
} from "../app/use-project-sync-app.js";
import { branchFixture, githubFixture, useNockGitHub } from "../helpers/nock-github.js";

const BRANCH_MAIN = "/repos/octo-org/hello-world/branches/main";
const HEAD = githubFixture("branch.feature-x.json").commit.sha as string;

describe("check_run webhooks: Re-run and Full resync", () => {
  const github = useNockGitHub();
  let app: ProjectSyncAppHarness;
  useProjectSyncApp((harness) => {
    app = harness;
  });
  const syncs = () => app.database.db.projectSync.findMany({ orderBy: { createdAt: "asc" } });

  it("re-runs our check run: the branch is synced again at its current head", async () => {
    await createInstalledRepository(app.database);
    mockInstallationToken(github);
    github.api().get(BRANCH_MAIN).reply(200, branchFixture("main"));

    await app.receive("check_run", webhookFixture("check_run.rerequested.json"), "rerun-1");

    const [sync] = await syncs();
    expect(await syncs()).toEqual([
      expect.objectContaining({
        status: "queued",
        trigger: "rerequest",
        branch: "main",
        headSha: HEAD,
        full: false,
        requestedBy: "octocat",
        deliveryId: "rerun-1",
        checkRunState: "pending",
      }),
    ]);
    expect(app.calls).toEqual([`enqueued:${sync?.id}`, "wake"]);
  });

  it("runs a full resync for the Full resync button", async () => {
    await createInstalledRepository(app.database);
    mockInstallationToken(github);
    github.api().get(BRANCH_MAIN).reply(200, branchFixture("main"));

    await app.receive("check_run", webhookFixture("check_run.requested_action.json"));

    expect(await syncs()).toEqual([
      expect.objectContaining({ trigger: "rerequest", full: true, headSha: HEAD }),
    ]);
  });

  it("ignores other apps' check runs, other checks of ours' names, and other buttons", async () => {
    await createInstalledRepository(app.database);
    const otherApp = webhookFixture("check_run.rerequested.json");
    otherApp.check_run.app.id = 2;
    const otherName = webhookFixture("check_run.rerequested.json");
    otherName.check_run.name = "lint";
    const otherButton = webhookFixture("check_run.requested_action.json");
    otherButton.requested_action.identifier = "fix-it";
    // `app` is nullable in GitHub's description of the payload
    const noApp = webhookFixture("check_run.rerequested.json");
    noApp.check_run.app = null;

    await app.receive("check_run", otherApp);
    await app.receive("check_run", otherName);
    await app.receive("check_run", otherButton);
    await app.receive("check_run", noApp);

    expect(await syncs()).toEqual([]);
    expect(github.requests()).toEqual([]);
  });

  it("ignores a check suite without a head branch, and a branch deleted since", async () => {
    await createInstalledRepository(app.database);
    const detached = webhookFixture("check_run.rerequested.json");
    detached.check_run.check_suite.head_branch = null;
    mockInstallationToken(github);
    github.api().get(BRANCH_MAIN).reply(404, { message: "Branch not found" });

    await app.receive("check_run", detached);
    await app.receive("check_run", webhookFixture("check_run.rerequested.json"));

    expect(await syncs()).toEqual([]);
  });
});
