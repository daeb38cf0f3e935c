import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createGitHubSimulator, type GitHubSimulator } from "../../sim/create-github-simulator.js";
import { commitChanges } from "../../sim/generate-repository.js";

const repoPath = "/repos/octo/empty";
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("GitHub simulator serving an empty repository (no commit yet)", () => {
  let dir: string;
  let gitDir: string;
  let sim: GitHubSimulator;
  let apiUrl: string;
  const get = async (path: string) => {
    const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: "token ghs_test" } });
    return { status: response.status, json: await response.json() };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "empty-repository-test-"));
    gitDir = join(dir, "empty.git");
    execFileSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", gitDir]);
    sim = createGitHubSimulator();
    await sim.addRepository({ owner: "octo", name: "empty", gitDir });
    ({ apiUrl } = await sim.start());
  });
  afterAll(async () => {
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists no branches and answers the git and commit APIs with GitHub's 409 naming each endpoint's documentation", async () => {
    const conflict = (documentation_url: string) => ({
      status: 409,
      json: { message: "Git Repository is empty.", documentation_url },
    });

    expect(await get(repoPath)).toMatchObject({ status: 200, json: { full_name: "octo/empty" } });
    expect(await get(`${repoPath}/branches`)).toEqual({ status: 200, json: [] });
    expect(await get(`${repoPath}/git/trees/main?recursive=1`)).toEqual(
      conflict("https://docs.github.com/rest/git/trees#get-a-tree"),
    );
    expect(await get(`${repoPath}/commits/main`)).toEqual(
      conflict("https://docs.github.com/rest/commits/commits#get-a-commit"),
    );
    expect(await get(`${repoPath}/git/commits/${SHA}`)).toEqual(
      conflict("https://docs.github.com/rest/git/commits#get-a-commit-object"),
    );
    expect(await get(`${repoPath}/git/ref/heads/main`)).toEqual(
      conflict("https://docs.github.com/rest/git/refs#get-a-reference"),
    );
    expect(await get(`${repoPath}/git/refs/heads`)).toEqual(
      conflict("https://docs.github.com/rest/git/refs#list-matching-references"),
    );
    expect(await get(`${repoPath}/git/blobs/${SHA}`)).toEqual(
      conflict("https://docs.github.com/rest/git/blobs#get-a-blob"),
    );
    expect(await get(`${repoPath}/compare/main...main`)).toEqual(
      conflict("https://docs.github.com/rest/commits/commits#compare-two-commits"),
    );
  });

  it("answers the branch and contents APIs with 404, as GitHub does (their OpenAPI lists no 409)", async () => {
    expect(await get(`${repoPath}/branches/main`)).toMatchObject({
      status: 404,
      json: { message: "Branch not found" },
    });
    expect(await get(`${repoPath}/contents/README.md`)).toMatchObject({
      status: 404,
      json: { message: "This repository is empty." },
    });
  });

  it("is an ordinary repository once a first commit is pushed", async () => {
    const first = await commitChanges({ gitDir, parent: null, changes: { "README.md": "# Hello\n" } });
    sim.setBranch("octo", "empty", "main", first);

    const tree = await get(`${repoPath}/git/trees/main`);
    const branches = await get(`${repoPath}/branches`);

    expect(tree).toMatchObject({ status: 200, json: { tree: [{ path: "README.md" }], truncated: false } });
    expect(branches.json).toMatchObject([{ name: "main", commit: { sha: first } }]);
    expect((await get(`${repoPath}/contents/README.md`)).status).toBe(200);
  });
});
