import { describe, expect, it } from "@jest/globals";
import { fetchBranches } from "../../src/github/fetch-branches.js";
import { githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

const listPath = "/repos/octo-org/hello-world/branches";
const byIdPath = "/repositories/1296269/branches";

describe("fetchBranches", () => {
  const github = useNockGitHub();

  it("follows the Link header across pages", async () => {
    const page1 = githubFixture("branches.page-1.json");
    const page2 = githubFixture("branches.page-2.json");
    github
      .api()
      .get(listPath)
      .query({ per_page: "100" })
      .reply(200, page1, {
        link: `<https://api.github.com${byIdPath}?per_page=100&page=2>; rel="next", <https://api.github.com${byIdPath}?per_page=100&page=2>; rel="last"`,
      })
      .get(byIdPath)
      .query({ per_page: "100", page: "2" })
      .reply(200, page2, {
        link: `<https://api.github.com${byIdPath}?per_page=100&page=1>; rel="prev", <https://api.github.com${byIdPath}?per_page=100&page=1>; rel="first"`,
      });

    const branches = await fetchBranches({ client: testOctokit(), owner: "octo-org", repo: "hello-world" });

    expect(branches).toHaveLength(103);
    expect(branches[0]).toEqual({ name: "main", headSha: page1[0].commit.sha, protected: true });
    expect(branches.slice(-3)).toEqual(
      page2.map((branch: { name: string; commit: { sha: string } }) => ({
        name: branch.name,
        headSha: branch.commit.sha,
        protected: false,
      })),
    );
    expect(github.requests().map((request) => request.path)).toEqual([
      `${listPath}?per_page=100`,
      `${byIdPath}?per_page=100&page=2`,
    ]);
  });

  it("makes one request when there is no next page, and returns [] for an empty repository", async () => {
    github.api().get(listPath).query({ per_page: "100" }).reply(200, []);

    await expect(
      fetchBranches({ client: testOctokit(), owner: "octo-org", repo: "hello-world" }),
    ).resolves.toEqual([]);
  });

  it("reports a missing repository as REPOSITORY_NOT_FOUND", async () => {
    github.api().get(listPath).query({ per_page: "100" }).reply(404, { message: "Not Found" });

    await expect(
      fetchBranches({ client: testOctokit(), owner: "octo-org", repo: "hello-world" }),
    ).rejects.toMatchObject({ code: "REPOSITORY_NOT_FOUND" });
  });
});
