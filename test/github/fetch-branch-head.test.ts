import { describe, expect, it } from "@jest/globals";
import { fetchBranchHead } from "../../src/github/fetch-branch-head.js";
import { branchFixture, githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

describe("fetchBranchHead", () => {
  const github = useNockGitHub();

  it("reads head commit and tree of a branch whose name has a slash, in one request", async () => {
    const branch = githubFixture("branch.feature-x.json");
    github.api().get("/repos/octo-org/hello-world/branches/feature%2Fx").reply(200, branch);

    const head = await fetchBranchHead({
      client: testOctokit(),
      owner: "octo-org",
      repo: "hello-world",
      branch: "feature/x",
    });

    expect(head).toEqual({ commitSha: branch.commit.sha, treeSha: branch.commit.commit.tree.sha });
    expect(github.requests()).toEqual([
      { method: "GET", path: "/repos/octo-org/hello-world/branches/feature%2Fx", body: undefined },
    ]);
  });

  it("refuses a branch GitHub renamed (a 301 to the new name, which fetch follows) as BRANCH_RENAMED naming it", async () => {
    const renamed = githubFixture("branch.feature-x.json");
    github
      .api()
      .get("/repos/octo-org/hello-world/branches/old-name")
      .reply(
        301,
        {
          message: "Moved Permanently",
          url: "https://api.github.com/repos/octo-org/hello-world/branches/feature%2Fx",
        },
        { location: "https://api.github.com/repos/octo-org/hello-world/branches/feature%2Fx" },
      )
      .get("/repos/octo-org/hello-world/branches/feature%2Fx")
      .reply(200, renamed);

    const error = await fetchBranchHead({
      client: testOctokit(),
      owner: "octo-org",
      repo: "hello-world",
      branch: "old-name",
    }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      code: "BRANCH_RENAMED",
      message: expect.stringContaining('was renamed to "feature/x" on GitHub; sync "feature/x" instead'),
    });
  });

  it("encodes characters that would otherwise end the path", async () => {
    github
      .api()
      .get("/repos/octo-org/hello-world/branches/fix%23123%3Fx")
      .reply(200, branchFixture("fix#123?x"));

    await fetchBranchHead({
      client: testOctokit(),
      owner: "octo-org",
      repo: "hello-world",
      branch: "fix#123?x",
    });

    expect(github.requests().map((request) => request.path)).toEqual([
      "/repos/octo-org/hello-world/branches/fix%23123%3Fx",
    ]);
  });

  it("reports a missing branch as BRANCH_NOT_FOUND naming it", async () => {
    github
      .api()
      .get("/repos/octo-org/hello-world/branches/gone")
      .reply(404, { message: "Branch not found", documentation_url: "https://docs.github.com/rest" });

    await expect(
      fetchBranchHead({ client: testOctokit(), owner: "octo-org", repo: "hello-world", branch: "gone" }),
    ).rejects.toMatchObject({
      code: "BRANCH_NOT_FOUND",
      message: 'GitHub found no branch "gone" of octo-org/hello-world, or the app/token has no access to it.',
    });
  });
});
