import { describe, expect, it } from "@jest/globals";
import { fetchCommit } from "../../src/github/fetch-commit.js";
import { githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

describe("fetchCommit", () => {
  const github = useNockGitHub();

  it("returns the commit's tree SHA", async () => {
    const commit = githubFixture("git-commit.json");
    github.api().get(`/repos/octo-org/hello-world/git/commits/${commit.sha}`).reply(200, commit);

    const result = await fetchCommit({
      client: testOctokit(),
      owner: "octo-org",
      repo: "hello-world",
      sha: commit.sha,
    });

    expect(result).toEqual({ sha: commit.sha, treeSha: commit.tree.sha });
  });

  it.each([
    [404, "Not Found"],
    [422, "No commit found for SHA: deadbeef"],
  ])("reports %i as COMMIT_NOT_FOUND", async (status, message) => {
    github.api().get("/repos/octo-org/hello-world/git/commits/deadbeef").reply(status, { message });

    await expect(
      fetchCommit({ client: testOctokit(), owner: "octo-org", repo: "hello-world", sha: "deadbeef" }),
    ).rejects.toMatchObject({
      code: "COMMIT_NOT_FOUND",
      message: expect.stringContaining("commit deadbeef"),
    });
  });
});
