import { describe, expect, it } from "@jest/globals";
import { SLASH_COMMAND_USAGE } from "../../src/handlers/slash-command-replies.js";
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
import { branchFixture, githubFixture, useNockGitHub } from "../helpers/nock-github.js";

const REPO = "/repos/octo-org/hello-world";
const PERMISSION = `${REPO}/collaborators/octocat/permission`;
const REACTIONS = `${REPO}/issues/comments/1717171717/reactions`;
const MAIN_HEAD = githubFixture("branch.feature-x.json").commit.sha as string;
const PR_HEAD = "c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe";

/** An issue comment with this body (the fixture is a comment on issue #7 by octocat). */
function comment(body: string, fixture = "issue_comment.created.json") {
  const payload = webhookFixture(fixture);
  payload.comment.body = body;
  return payload;
}

function pull(headRepoId: number | null) {
  return {
    number: 12,
    state: "open",
    head: { ref: "feature/parser", sha: PR_HEAD, repo: headRepoId === null ? null : { id: headRepoId } },
    base: { ref: "main", sha: MAIN_HEAD, repo: { id: 1296269 } },
  };
}

describe("issue_comment webhook: the /sync command", () => {
  const github = useNockGitHub();
  let app: ProjectSyncAppHarness;
  useProjectSyncApp((harness) => {
    app = harness;
  });
  const syncs = () => app.database.db.projectSync.findMany({ orderBy: { createdAt: "asc" } });
  const permission = (role: string, legacy = role) =>
    github
      .api()
      .get(PERMISSION)
      .reply(200, { permission: legacy, role_name: role, user: { login: "octocat" } });
  const noConfig = () =>
    github.api().get(CONFIG_PATH).reply(404, NOT_FOUND).get(ORG_CONFIG_PATH).reply(404, NOT_FOUND);
  const sent = () =>
    github
      .requests()
      .filter((request) => request.method === "POST" && !request.path.includes("access_tokens"))
      .map(({ path, body }) => ({ path, body }))
      .sort((a, b) => a.path.localeCompare(b.path));

  it("on an issue, syncs the default branch at its head for a writer, and reacts with eyes", async () => {
    mockInstallationToken(github);
    permission("write");
    noConfig();
    github.api().get(`${REPO}/branches/main`).reply(200, branchFixture("main"));
    github.api().post(REACTIONS).reply(201, { id: 1, content: "eyes" });

    await app.receive("issue_comment", comment("/sync"), "comment-1");

    const [sync, ...others] = await syncs();
    expect(others).toEqual([]);
    expect(sync).toMatchObject({
      status: "queued",
      trigger: "comment",
      branch: "main",
      headSha: MAIN_HEAD,
      full: false,
      commentId: 1717171717n,
      requestedBy: "octocat",
      deliveryId: "comment-1",
      checkRunState: "pending",
    });
    expect(app.calls).toEqual([`enqueued:${sync?.id}`, "wake"]);
    expect(github.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /app/installations/4242/access_tokens",
      `GET ${PERMISSION}`,
      `GET ${CONFIG_PATH}`,
      `GET ${ORG_CONFIG_PATH}`,
      `GET ${REPO}/branches/main`,
      `POST ${REACTIONS}`,
    ]);
    expect(sent()).toEqual([{ path: REACTIONS, body: { content: "eyes" } }]);
  });

  it("on a pull request, syncs the pull request's head branch (maintain role, full)", async () => {
    mockInstallationToken(github);
    permission("maintain", "write");
    github.api().get(CONFIG_PATH).reply(200, "maxFileSizeBytes: 4096\n", RAW);
    github.api().get(`${REPO}/pulls/12`).reply(200, pull(1296269));
    github.api().post(REACTIONS).reply(201, { id: 1, content: "eyes" });

    await app.receive("issue_comment", comment("/resync full", "issue_comment.created.pull-request.json"));

    expect(await syncs()).toEqual([
      expect.objectContaining({ branch: "feature/parser", headSha: PR_HEAD, full: true, trigger: "comment" }),
    ]);
    expect(await app.database.db.repository.findFirst()).toMatchObject({
      config: { maxFileSizeBytes: 4096 },
    });
  });

  it("syncs the branch a command names, also on a pull request", async () => {
    mockInstallationToken(github);
    permission("admin");
    noConfig();
    github.api().get(`${REPO}/branches/feature%2Fx`).reply(200, githubFixture("branch.feature-x.json"));
    github.api().post(REACTIONS).reply(201, { id: 1, content: "eyes" });

    await app.receive("issue_comment", comment("/sync feature/x", "issue_comment.created.pull-request.json"));

    expect(await syncs()).toEqual([expect.objectContaining({ branch: "feature/x", headSha: MAIN_HEAD })]);
  });

  it("refuses a reader: confused reaction and a short reply, nothing synced or stored", async () => {
    mockInstallationToken(github);
    permission("read");
    github.api().post(REACTIONS).reply(201, { id: 1, content: "confused" });
    github.api().post(`${REPO}/issues/7/comments`).reply(201, { id: 2 });

    await app.receive("issue_comment", comment("/sync full"));

    expect(await syncs()).toEqual([]);
    expect(await app.database.db.repository.count()).toBe(0);
    expect(sent()).toEqual([
      {
        path: `${REPO}/issues/7/comments`,
        body: { body: "@octocat only people with write access to octo-org/hello-world can run `/sync`." },
      },
      { path: REACTIONS, body: { content: "confused" } },
    ]);
    expect(app.calls).toEqual([]);
  });

  it("refuses someone who is no collaborator at all (404), and a triage role", async () => {
    mockInstallationToken(github);
    github.api().get(PERMISSION).reply(404, NOT_FOUND);
    github.api().get(PERMISSION).reply(200, { permission: "read", role_name: "triage" });
    github.api().post(REACTIONS).times(2).reply(201, { id: 1, content: "confused" });
    github.api().post(`${REPO}/issues/7/comments`).times(2).reply(201, { id: 2 });

    await app.receive("issue_comment", comment("/sync"));
    await app.receive("issue_comment", comment("/sync"));

    expect(await syncs()).toEqual([]);
  });

  it("ignores bots, ours included, and comments that are not commands, without a request", async () => {
    const bot = comment("/sync");
    bot.comment.user = { ...bot.comment.user, login: "project-sync[bot]", type: "Bot" };
    const botByName = comment("/sync");
    botByName.comment.user = { ...botByName.comment.user, login: "renovate[bot]" };

    // a deleted account's comment has no user (nullable in GitHub's description)
    const ghost = comment("/sync");
    (ghost.comment as { user: unknown }).user = null;

    await app.receive("issue_comment", bot);
    await app.receive("issue_comment", botByName);
    await app.receive("issue_comment", ghost);
    await app.receive("issue_comment", comment("Thanks, looks good! /sync later maybe"));

    expect(github.requests()).toEqual([]);
    expect(await syncs()).toEqual([]);
  });

  it("answers help with the usage", async () => {
    mockInstallationToken(github);
    permission("write");
    github.api().post(`${REPO}/issues/7/comments`).reply(201, { id: 2 });

    await app.receive("issue_comment", comment("/sync help"));

    expect(sent()).toEqual([{ path: `${REPO}/issues/7/comments`, body: { body: SLASH_COMMAND_USAGE } }]);
    expect(await syncs()).toEqual([]);
  });

  it("answers a mistyped keyword with the usage and a did-you-mean", async () => {
    mockInstallationToken(github);
    permission("write");
    github.api().post(`${REPO}/issues/7/comments`).reply(201, { id: 2 });

    await app.receive("issue_comment", comment("/sync ful"));

    expect(sent()).toEqual([
      {
        path: `${REPO}/issues/7/comments`,
        body: {
          body: `Sorry, I could not read that command: unknown word \`ful\`. Did you mean \`full\`? (To sync a branch of that name, write it as \`refs/heads/<name>\`.)\n\n${SLASH_COMMAND_USAGE}`,
        },
      },
    ]);
    expect(await syncs()).toEqual([]);
  });

  it("answers a branch that does not exist", async () => {
    mockInstallationToken(github);
    permission("write");
    noConfig();
    github.api().get(`${REPO}/branches/nope`).reply(404, { message: "Branch not found" });
    github.api().post(`${REPO}/issues/7/comments`).reply(201, { id: 2 });

    await app.receive("issue_comment", comment("/sync nope"));

    expect(sent()).toEqual([
      {
        path: `${REPO}/issues/7/comments`,
        body: { body: "There is no branch `nope` in octo-org/hello-world." },
      },
    ]);
    expect(await syncs()).toEqual([]);
  });

  it("answers that a fork's branch cannot be synced", async () => {
    mockInstallationToken(github);
    permission("write");
    noConfig();
    github.api().get(`${REPO}/pulls/12`).reply(200, pull(99));
    github.api().post(`${REPO}/issues/12/comments`).reply(201, { id: 2 });

    await app.receive("issue_comment", comment("/sync", "issue_comment.created.pull-request.json"));

    expect(sent()).toEqual([
      {
        path: `${REPO}/issues/12/comments`,
        body: {
          body: "This pull request's branch `feature/parser` lives in a fork: only branches of octo-org/hello-world can be synced.",
        },
      },
    ]);
    expect(await syncs()).toEqual([]);
  });

  it("on a merged pull request whose branch was deleted, answers so rather than bringing its memory back", async () => {
    mockInstallationToken(github);
    permission("write");
    noConfig();
    github
      .api()
      .get(`${REPO}/pulls/12`)
      .reply(200, { ...pull(1296269), state: "closed", merged: true });
    github.api().get(`${REPO}/branches/feature%2Fparser`).reply(404, { message: "Branch not found" });
    github.api().post(`${REPO}/issues/12/comments`).reply(201, { id: 2 });

    await app.receive("issue_comment", comment("/sync", "issue_comment.created.pull-request.json"));

    expect(sent()).toEqual([
      {
        path: `${REPO}/issues/12/comments`,
        body: { body: "There is no branch `feature/parser` in octo-org/hello-world." },
      },
    ]);
    expect(await syncs()).toEqual([]);
  });

  it("on a closed pull request whose branch still exists, syncs the branch at its head now", async () => {
    mockInstallationToken(github);
    permission("write");
    noConfig();
    github
      .api()
      .get(`${REPO}/pulls/12`)
      .reply(200, { ...pull(1296269), state: "closed" });
    github.api().get(`${REPO}/branches/feature%2Fparser`).reply(200, branchFixture("feature/parser"));
    github.api().post(REACTIONS).reply(201, { id: 1, content: "eyes" });

    await app.receive("issue_comment", comment("/sync", "issue_comment.created.pull-request.json"));

    expect(await syncs()).toEqual([
      expect.objectContaining({ branch: "feature/parser", headSha: MAIN_HEAD, trigger: "comment" }),
    ]);
  });

  it("answers that the config does not track the branch", async () => {
    mockInstallationToken(github);
    permission("write");
    github.api().get(CONFIG_PATH).reply(200, "branches: [main]\n", RAW);
    github.api().get(`${REPO}/branches/dev`).reply(200, branchFixture("dev"));
    github.api().post(`${REPO}/issues/7/comments`).reply(201, { id: 2 });

    await app.receive("issue_comment", comment("/sync dev"));

    expect(sent()).toEqual([
      {
        path: `${REPO}/issues/7/comments`,
        body: { body: "`dev` is not synced: the `branches` of .github/project-sync.yml do not include it." },
      },
    ]);
    expect(await syncs()).toEqual([]);
  });

  it("records a failed sync when the re-read config is invalid (the check run and a -1 tell the user)", async () => {
    await createInstalledRepository(app.database);
    mockInstallationToken(github);
    permission("write");
    github.api().get(CONFIG_PATH).reply(200, "paths:\n  include: [1]\n", RAW);
    github.api().get(`${REPO}/branches/main`).reply(200, branchFixture("main"));
    github.api().post(REACTIONS).reply(201, { id: 1, content: "eyes" });

    await app.receive("issue_comment", comment("/sync"));

    const [sync] = await syncs();
    expect(sync).toMatchObject({
      status: "failed",
      errorCode: "CONFIG_INVALID",
      error: ".github/project-sync.yml: paths.include.0: Invalid input: expected string, received number",
      commentId: 1717171717n,
    });
    expect(app.calls).toEqual([`settled:${sync?.id}`]);
  });
});
