import { describe, expect, it } from "@jest/globals";
import { fetchBranchHead } from "../../src/github/fetch-branch-head.js";
import { githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

describe("fetchBranchHead", () => {
  const github = useNockGitHub();

  it("reads head commit and tree of a branch whose name has a slash in one request", async () => {
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
});
