import { describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { api, NAME, OWNER, useSimulator } from "./use-simulator.js";

const repoPath = `/repos/${OWNER}/${NAME}`;
const DOCUMENTATION_URL = "https://docs.github.com/rest/branches/branches#get-a-branch";

describe("GitHub simulator renamed branches", () => {
  const fixture = useSimulator({ files: 10 });
  const octokit = () => new Octokit({ auth: "ghs_test", baseUrl: fixture.address.apiUrl });
  const branchUrl = (name: string) => `${fixture.address.apiUrl}${repoPath}/branches/${name}`;

  it("answers the old name with GitHub's 301, its Location and body naming the new branch's URL", async () => {
    fixture.sim.setBranch(OWNER, NAME, "old", fixture.repo.headSha);
    fixture.sim.renameBranch(OWNER, NAME, "old", "renamed/one");

    const moved = await fetch(branchUrl("old"), {
      redirect: "manual",
      headers: { authorization: "token ghs_test" },
    });

    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe(branchUrl("renamed/one"));
    expect(await moved.json()).toEqual({
      message: "Moved Permanently",
      url: branchUrl("renamed/one"),
      documentation_url: DOCUMENTATION_URL,
    });
  });

  it("ends, through Octokit (fetch follows the redirect), with the new branch's JSON", async () => {
    const { status, data } = await octokit().rest.repos.getBranch({
      owner: OWNER,
      repo: NAME,
      branch: "old",
    });

    expect(status).toBe(200);
    expect(data).toMatchObject({ name: "renamed/one", commit: { sha: fixture.repo.headSha } });
  });

  it("forgets the old name everywhere else: branch list, git refs, commits by name", async () => {
    const branches = await api(fixture, `${repoPath}/branches`);
    const ref = await api(fixture, `${repoPath}/git/ref/heads/old`);
    const commit = await api(fixture, `${repoPath}/commits/old`);

    expect((branches.json as { name: string }[]).map((branch) => branch.name)).toEqual([
      "main",
      "renamed/one",
    ]);
    expect(ref).toMatchObject({ status: 404, json: { message: "Not Found" } });
    // GitHub answers a ref it cannot resolve with 422 on this route, a renamed branch's old name included.
    expect(commit).toMatchObject({ status: 422, json: { message: "No commit found for SHA: old" } });
  });

  it("chains a second rename: every old name redirects to the newest", async () => {
    fixture.sim.renameBranch(OWNER, NAME, "renamed/one", "renamed-two");

    const first = await fetch(branchUrl("old"), { redirect: "manual" });
    const second = await fetch(branchUrl("renamed/one"), { redirect: "manual" });
    const { data } = await octokit().rest.repos.getBranch({ owner: OWNER, repo: NAME, branch: "old" });

    expect([first.status, first.headers.get("location")]).toEqual([301, branchUrl("renamed-two")]);
    expect([second.status, second.headers.get("location")]).toEqual([301, branchUrl("renamed-two")]);
    expect(data.name).toBe("renamed-two");
  });

  it("keeps the default branch the default when it is renamed, and a new branch of an old name is no redirect", async () => {
    fixture.sim.renameBranch(OWNER, NAME, "main", "trunk");
    const repository = await api(fixture, repoPath);
    const main = await fetch(branchUrl("main"), { redirect: "manual" });
    fixture.sim.setBranch(OWNER, NAME, "old", fixture.repo.headSha);
    const old = await api(fixture, `${repoPath}/branches/old`);
    fixture.sim.renameBranch(OWNER, NAME, "trunk", "main");

    expect(repository.json).toMatchObject({ default_branch: "trunk" });
    expect([main.status, main.headers.get("location")]).toEqual([301, branchUrl("trunk")]);
    expect(old).toMatchObject({ status: 200, json: { name: "old" } });
    expect((await api(fixture, repoPath)).json).toMatchObject({ default_branch: "main" });
    expect((await api(fixture, `${repoPath}/branches/main`)).status).toBe(200);
    expect(() => fixture.sim.renameBranch(OWNER, NAME, "nope", "x")).toThrow(/no branch "nope"/);
    expect(() => fixture.sim.renameBranch(OWNER, NAME, "old", "main")).toThrow(/already has a branch "main"/);
  });
});
