import { describe, expect, it } from "@jest/globals";
import { fetchRepository } from "../../src/github/fetch-repository.js";
import { githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

describe("fetchRepository", () => {
  const github = useNockGitHub();

  it("returns owner and name as GitHub spells them, the default branch and visibility", async () => {
    github.api().get("/repos/octo-org/hello-world").reply(200, githubFixture("repository.json"));

    const repository = await fetchRepository({
      client: testOctokit(),
      owner: "octo-org",
      repo: "hello-world",
    });

    expect(repository).toEqual({
      githubId: 1296269,
      owner: "Octo-Org",
      name: "Hello-World",
      defaultBranch: "trunk",
      isPrivate: true,
    });
  });

  it("reports a missing repository as REPOSITORY_NOT_FOUND", async () => {
    github.api().get("/repos/octo-org/gone").reply(404, { message: "Not Found" });

    await expect(
      fetchRepository({ client: testOctokit(), owner: "octo-org", repo: "gone" }),
    ).rejects.toMatchObject({
      code: "REPOSITORY_NOT_FOUND",
      message: "GitHub found no repository octo-org/gone, or the app/token has no access to it.",
    });
  });
});
