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
import { useNockGitHub } from "../helpers/nock-github.js";

const BEFORE = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const AFTER = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
const NEXT = "a8f5f167f44f4964e6c998dee827110c7f8e2a3b";

describe("push webhook", () => {
  const github = useNockGitHub();
  let app: ProjectSyncAppHarness;
  useProjectSyncApp((harness) => {
    app = harness;
  });
  const syncs = () => app.database.db.projectSync.findMany({ orderBy: { createdAt: "asc" } });

  it("queues one sync of the pushed branch at `after`, with no GitHub request", async () => {
    await createInstalledRepository(app.database);

    await app.receive("push", webhookFixture("push.json"), "push-1");

    const [sync, ...others] = await syncs();
    expect(others).toEqual([]);
    expect(sync).toMatchObject({
      status: "queued",
      trigger: "push",
      branch: "main",
      headSha: AFTER,
      pushBefore: BEFORE,
      deliveryId: "push-1",
      requestedBy: "octocat",
      checkRunState: "pending",
      deletesBranch: false,
      full: false,
    });
    expect(app.calls).toEqual([`enqueued:${sync?.id}`, "wake"]);
    expect(github.requests()).toEqual([]);
  });

  it("refreshes the repository row from the payload and re-activates an uninstalled repository", async () => {
    await app.database.db.repository.create({
      data: {
        githubId: 1296269n,
        key: "octo-org/old-name",
        owner: "octo-org",
        name: "old-name",
        defaultBranch: "master",
        active: false,
        deactivatedAt: new Date(),
        configLoadedAt: new Date(),
      },
    });

    await app.receive("push", webhookFixture("push.json"));

    expect(await app.database.db.repository.findMany()).toEqual([
      expect.objectContaining({
        key: "octo-org/hello-world",
        name: "hello-world",
        defaultBranch: "main",
        installationId: 4242n,
        active: true,
        deactivatedAt: null,
      }),
    ]);
  });

  it("queues nothing more for a redelivery (same delivery id)", async () => {
    await createInstalledRepository(app.database);
    await app.receive("push", webhookFixture("push.json"), "push-1");
    const callsBefore = [...app.calls];

    await app.receive("push", webhookFixture("push.json"), "push-1");

    expect(await syncs()).toHaveLength(1);
    expect(app.calls).toEqual(callsBefore);
  });

  it("coalesces a burst: the newer push supersedes the queued one, which needs no check run of its own", async () => {
    await createInstalledRepository(app.database);
    const second = { ...webhookFixture("push.json"), before: AFTER, after: NEXT };

    await app.receive("push", webhookFixture("push.json"), "push-1");
    await app.receive("push", second, "push-2");

    const [first, last] = await syncs();
    expect([first?.status, last?.status]).toEqual(["cancelled", "queued"]);
    // its check run was not created yet: nothing to report, only its timer to drop
    expect([first?.checkRunState, last?.checkRunState]).toEqual([null, "pending"]);
    expect(app.calls).toEqual([
      `enqueued:${first?.id}`,
      "wake",
      `enqueued:${last?.id}`,
      `forget:${first?.id}`,
      "wake",
    ]);
  });

  it("a burst that supersedes a sync whose check run was created reports it settled (completed neutral)", async () => {
    await createInstalledRepository(app.database);
    const second = { ...webhookFixture("push.json"), before: AFTER, after: NEXT };
    await app.receive("push", webhookFixture("push.json"), "push-1");
    const [created] = await syncs();
    await app.database.db.projectSync.update({
      where: { id: created?.id },
      data: { checkRunState: "open", checkRunId: 77n },
    });

    await app.receive("push", second, "push-2");

    const [first, last] = await syncs();
    expect(first).toMatchObject({ status: "cancelled", checkRunState: "open", checkRunId: 77n });
    expect(app.calls.slice(-3)).toEqual([`enqueued:${last?.id}`, `settled:${first?.id}`, "wake"]);
  });

  it("takes a push without a sender (optional in GitHub's own description), naming the pusher", async () => {
    await createInstalledRepository(app.database);
    const { sender: _sender, ...payload } = webhookFixture("push.json") as Record<string, unknown>;

    await app.receive("push", { ...payload, pusher: { name: "codertocat" } }, "no-sender");

    expect(await syncs()).toEqual([expect.objectContaining({ status: "queued", requestedBy: "codertocat" })]);
  });

  it("ignores tag pushes", async () => {
    await app.receive("push", webhookFixture("push.tag.json"));

    expect(await syncs()).toEqual([]);
    expect(await app.database.db.repository.count()).toBe(0);
    expect(app.calls).toEqual([]);
  });

  it("retires a deleted branch with a deletesBranch sync and no check run", async () => {
    await createInstalledRepository(app.database);

    await app.receive("push", webhookFixture("push.deleted.json"), "delete-1");

    const [sync] = await syncs();
    expect(sync).toMatchObject({
      status: "queued",
      branch: "feature/old",
      deletesBranch: true,
      headSha: null,
      checkRunState: null,
      deliveryId: "delete-1",
    });
    expect(app.calls).toEqual([`enqueued:${sync?.id}`, "wake"]);
  });

  it("ignores a branch the config does not track", async () => {
    await createInstalledRepository(app.database, { config: { branches: ["main", "release/*"] } });

    await app.receive("push", { ...webhookFixture("push.json"), ref: "refs/heads/dev" });
    await app.receive("push", { ...webhookFixture("push.json"), ref: "refs/heads/release/2.0" });

    expect((await syncs()).map((sync) => sync.branch)).toEqual(["release/2.0"]);
  });

  it("records a failed sync (settled at once, nothing queued) when the config is invalid", async () => {
    const error =
      ".github/project-sync.yml: paths.include.0: Invalid input: expected string, received number";
    await createInstalledRepository(app.database, { configError: error });

    await app.receive("push", webhookFixture("push.json"));

    const [sync, ...others] = await syncs();
    expect(others).toEqual([]);
    expect(sync).toMatchObject({
      status: "failed",
      errorCode: "CONFIG_INVALID",
      error,
      headSha: AFTER,
      checkRunState: "pending",
    });
    expect(app.calls).toEqual([`settled:${sync?.id}`]);
    expect(github.requests()).toEqual([]);
  });

  it("reads the config for an unknown repository, then only when a push to the default branch touches it", async () => {
    mockInstallationToken(github);
    github.api().get(CONFIG_PATH).reply(404, NOT_FOUND).get(ORG_CONFIG_PATH).reply(404, NOT_FOUND);
    await app.receive("push", webhookFixture("push.json"), "push-1");
    const afterFirst = github.requests().length;

    const unrelated = { ...webhookFixture("push.json"), before: AFTER, after: NEXT };
    await app.receive("push", unrelated, "push-2");
    const afterSecond = github.requests().length;

    const touching = webhookFixture("push.json");
    touching.before = NEXT;
    touching.after = "b".repeat(40);
    touching.commits[0].modified = [".github/project-sync.yml"];
    github.api().get(CONFIG_PATH).reply(200, "branches: [release/*]\n", RAW);
    await app.receive("push", touching, "push-3");

    expect(github.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /app/installations/4242/access_tokens",
      `GET ${CONFIG_PATH}`,
      `GET ${ORG_CONFIG_PATH}`,
      `GET ${CONFIG_PATH}`,
    ]);
    expect([afterFirst, afterSecond]).toEqual([3, 3]);
    expect(await app.database.db.repository.findFirst()).toMatchObject({
      config: { branches: ["release/*"] },
      configError: null,
      configLoadedAt: expect.any(Date),
    });
    // the push that changed the config is judged by it: main is no longer tracked
    expect((await syncs()).map((sync) => sync.deliveryId)).toEqual(["push-1", "push-2"]);
  });
});
