import { describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { commitChanges } from "../../sim/generate-repository.js";
import { api, gitTree, NAME, OWNER, useSimulator } from "./use-simulator.js";

type TreeResponse = {
  sha: string;
  truncated: boolean;
  tree: { path: string; mode: string; type: string; sha: string; size?: number; url?: string }[];
};

const repoPath = `/repos/${OWNER}/${NAME}`;

describe("GitHub simulator REST endpoints", () => {
  const fixture = useSimulator({ files: 300 });

  it("answers the repository and 404s an unknown one the way GitHub does", async () => {
    const found = await api(fixture, repoPath);
    const missing = await api(fixture, "/repos/octo/nope");

    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({
      id: 4242,
      name: NAME,
      full_name: `${OWNER}/${NAME}`,
      owner: { login: OWNER },
      default_branch: "main",
      private: false,
    });
    expect(missing).toMatchObject({ status: 404, json: { message: "Not Found" } });
  });

  it("issues installation tokens and names the repository's installation", async () => {
    const installation = await api(fixture, `${repoPath}/installation`);
    const token = await api(fixture, "/app/installations/1/access_tokens", { method: "POST" });

    expect(installation.json).toMatchObject({ id: 1 });
    expect(token.status).toBe(201);
    expect(token.json).toMatchObject({
      token: expect.stringMatching(/^ghs_sim/),
      expires_at: expect.any(String),
    });
  });

  it("lists a recursive tree exactly as git ls-tree -r -t does, blob sizes and URLs included", async () => {
    const { headSha, treeSha } = fixture.repo;

    const { json } = await api(fixture, `${repoPath}/git/trees/${treeSha}?recursive=1`);
    const tree = json as TreeResponse;

    expect(tree.sha).toBe(treeSha);
    expect(tree.truncated).toBe(false);
    expect(tree.tree.map(({ url: _url, ...entry }) => entry)).toEqual(gitTree(fixture, headSha));
    const blob = tree.tree.find((entry) => entry.type === "blob");
    expect(blob?.url).toBe(`${fixture.address.apiUrl}${repoPath}/git/blobs/${blob?.sha}`);
    expect(tree.tree.filter((entry) => entry.type === "blob").map((entry) => entry.path)).toEqual(
      fixture.repo.paths.slice().sort(gitOrder),
    );
  });

  it("resolves a commit SHA (or a branch) to its tree, whose SHA the response carries", async () => {
    const { headSha, treeSha } = fixture.repo;

    const byCommit = (await api(fixture, `${repoPath}/git/trees/${headSha}`)).json as TreeResponse;
    const byBranch = (await api(fixture, `${repoPath}/git/trees/main`)).json as TreeResponse;
    const unknown = await api(fixture, `${repoPath}/git/trees/${"0".repeat(40)}`);

    expect(byCommit.sha).toBe(treeSha);
    expect(byBranch.sha).toBe(treeSha);
    expect(byCommit.tree.map(({ url: _url, ...entry }) => entry)).toEqual(gitTree(fixture, headSha, false));
    expect(unknown.status).toBe(404);
  });

  it("returns blobs as base64 JSON and, with the raw media type, as the exact bytes", async () => {
    const blobs = gitTree(fixture, fixture.repo.headSha).filter((entry) => entry.type === "blob");
    const bytesOf = fixture.blobs(blobs.map((blob) => blob.sha));
    const binary = blobs.find((blob) => bytesOf.get(blob.sha)?.includes(0));
    if (!binary) throw new Error("the generated repository has no binary file");
    const bytes = fixture.gitBytes("cat-file", "blob", binary.sha);

    const asJson = await api(fixture, `${repoPath}/git/blobs/${binary.sha}`);
    const asRaw = await api(fixture, `${repoPath}/git/blobs/${binary.sha}`, {
      headers: { accept: "application/vnd.github.raw" },
    });

    const body = asJson.json as { sha: string; size: number; encoding: string; content: string };
    expect(body).toMatchObject({ sha: binary.sha, size: bytes.length, encoding: "base64" });
    expect(Buffer.from(body.content, "base64")).toEqual(bytes);
    expect(asRaw.headers.get("content-type")).toBe("application/vnd.github.raw");
    expect(asRaw.raw).toEqual(bytes);
  });

  it("reads a single file through the contents API, at the default branch or a ref", async () => {
    const path = fixture.repo.paths.find((candidate) => candidate.includes("/")) as string;
    const bytes = fixture.gitBytes("cat-file", "blob", `${fixture.repo.headSha}:${path}`);
    const encoded = path.split("/").map(encodeURIComponent).join("/");

    const file = await api(fixture, `${repoPath}/contents/${encoded}`);
    const raw = await api(fixture, `${repoPath}/contents/${encoded}?ref=${fixture.repo.headSha}`, {
      headers: { accept: "application/vnd.github.raw" },
    });
    const missing = await api(fixture, `${repoPath}/contents/no/such/file.yml`);

    expect(file.json).toMatchObject({ type: "file", path, size: bytes.length, encoding: "base64" });
    expect(Buffer.from((file.json as { content: string }).content, "base64").equals(bytes)).toBe(true);
    expect(raw.raw.equals(bytes)).toBe(true);
    expect(missing.status).toBe(404);
  });

  it("answers raw contents with GitHub's charset, so Octokit hands back a string (a config file parses as YAML)", async () => {
    const { gitDir, headSha } = fixture.repo;
    const config = "sync:\n  include: [docs/**]\n";
    const commit = await commitChanges({
      gitDir,
      parent: headSha,
      changes: { ".github/project-sync.yml": config },
    });
    const octokit = new Octokit({ auth: "ghs_test", baseUrl: fixture.address.apiUrl });

    const raw = await api(fixture, `${repoPath}/contents/.github/project-sync.yml?ref=${commit}`, {
      headers: { accept: "application/vnd.github.raw" },
    });
    const { data, headers } = await octokit.rest.repos.getContent({
      owner: OWNER,
      repo: NAME,
      path: ".github/project-sync.yml",
      ref: commit,
      mediaType: { format: "raw" },
    });

    expect(raw.headers.get("content-type")).toBe("application/vnd.github.v3.raw; charset=utf-8");
    expect(headers["content-type"]).toBe("application/vnd.github.v3.raw; charset=utf-8");
    expect(data).toBe(config);
  });

  it("answers a branch with its head commit and tree, URL-encoded names included", async () => {
    const { headSha, treeSha } = fixture.repo;
    fixture.sim.setBranch(OWNER, NAME, "feature/x", headSha);

    const main = await api(fixture, `${repoPath}/branches/main`);
    const feature = await api(fixture, `${repoPath}/branches/feature%2Fx`);
    const ref = await api(fixture, `${repoPath}/git/ref/heads/feature/x`);
    const missing = await api(fixture, `${repoPath}/branches/nope`);

    expect(main.json).toMatchObject({
      name: "main",
      commit: { sha: headSha, commit: { tree: { sha: treeSha } } },
      protected: false,
    });
    expect(feature.json).toMatchObject({ name: "feature/x", commit: { sha: headSha } });
    expect(ref.json).toMatchObject({ ref: "refs/heads/feature/x", object: { sha: headSha, type: "commit" } });
    expect(missing).toMatchObject({ status: 404, json: { message: "Branch not found" } });
    fixture.sim.deleteBranch(OWNER, NAME, "feature/x");
  });

  it("paginates branches with a Link header naming the repository by id, as GitHub does", async () => {
    const { headSha } = fixture.repo;
    for (const name of ["a", "b", "c", "d"]) fixture.sim.setBranch(OWNER, NAME, name, headSha);

    const first = await api(fixture, `${repoPath}/branches?per_page=2`);
    const last = await api(fixture, "/repositories/4242/branches?per_page=2&page=3");

    const base = `${fixture.address.apiUrl}/repositories/4242/branches?per_page=2`;
    expect((first.json as { name: string }[]).map((branch) => branch.name)).toEqual(["a", "b"]);
    expect(first.headers.get("link")).toBe(`<${base}&page=2>; rel="next", <${base}&page=3>; rel="last"`);
    expect((last.json as { name: string }[]).map((branch) => branch.name)).toEqual(["main"]);
    expect(last.headers.get("link")).toBe(`<${base}&page=2>; rel="prev", <${base}&page=1>; rel="first"`);
    for (const name of ["a", "b", "c", "d"]) fixture.sim.deleteBranch(OWNER, NAME, name);
  });

  it("serves commits from the REST and git database APIs, with 422 and 404 like GitHub", async () => {
    const { headSha, treeSha } = fixture.repo;

    const rest = await api(fixture, `${repoPath}/commits/main`);
    const shaOnly = await api(fixture, `${repoPath}/commits/main`, {
      headers: { accept: "application/vnd.github.sha" },
    });
    const git = await api(fixture, `${repoPath}/git/commits/${headSha}`);
    const malformed = await api(fixture, `${repoPath}/git/commits/main`);
    const unknown = await api(fixture, `${repoPath}/git/commits/${"1".repeat(40)}`);

    expect(rest.json).toMatchObject({ sha: headSha, commit: { tree: { sha: treeSha } }, parents: [] });
    expect(shaOnly.raw.toString()).toBe(headSha);
    expect(git.json).toMatchObject({ sha: headSha, tree: { sha: treeSha }, parents: [] });
    expect(malformed.status).toBe(422);
    expect(unknown.status).toBe(404);
  });

  it("compares two commits: ahead_by, commits, and the changed files with renames", async () => {
    const { gitDir, headSha } = fixture.repo;
    const changed = await commitChanges({
      gitDir,
      parent: headSha,
      changes: { modify: 2, add: 1, remove: 1, rename: 1 },
      seed: 11,
    });

    const { json } = await api(fixture, `${repoPath}/compare/${headSha}...${changed}`);
    const compare = json as {
      status: string;
      ahead_by: number;
      behind_by: number;
      total_commits: number;
      commits: { sha: string }[];
      files: { filename: string; status: string; previous_filename?: string; sha: string }[];
    };

    expect(compare).toMatchObject({ status: "ahead", ahead_by: 1, behind_by: 0, total_commits: 1 });
    expect(compare.commits.map((commit) => commit.sha)).toEqual([changed]);
    const statuses = compare.files.map((file) => file.status).sort();
    expect(statuses).toEqual(["added", "modified", "modified", "removed", "renamed"]);
    const expected = fixture
      .git("diff-tree", "-r", "-M", "--name-status", headSha, changed)
      .trim()
      .split("\n")
      .map((line) => line.split("\t").at(-1));
    expect(compare.files.map((file) => file.filename).sort()).toEqual(expected.sort());
    const renamed = compare.files.find((file) => file.status === "renamed");
    expect(renamed?.previous_filename).toEqual(expect.any(String));
  });

  it("answers a push by moving a branch in memory: the branch, its tree and the comparison follow", async () => {
    const { gitDir, headSha } = fixture.repo;
    const pushed = await commitChanges({
      gitDir,
      parent: headSha,
      changes: { "pushed.txt": "pushed\n" },
      seed: 3,
    });

    fixture.sim.setBranch(OWNER, NAME, "main", pushed);
    const branch = await api(fixture, `${repoPath}/branches/main`);
    const tree = (await api(fixture, `${repoPath}/git/trees/main?recursive=1`)).json as TreeResponse;
    const compare = await api(fixture, `${repoPath}/compare/${headSha}...main`);
    fixture.sim.setBranch(OWNER, NAME, "main", headSha);

    expect(branch.json).toMatchObject({ commit: { sha: pushed } });
    expect(tree.tree.some((entry) => entry.path === "pushed.txt")).toBe(true);
    expect(compare.json).toMatchObject({ ahead_by: 1, files: [{ filename: "pushed.txt", status: "added" }] });
  });
});

describe("GitHub simulator tree truncation", () => {
  const fixture = useSimulator({ files: 120, sim: { treeTruncateLimit: 50 } });

  it("cuts a recursive listing at the limit and says truncated, but never a single level", async () => {
    const { treeSha } = fixture.repo;

    const recursive = (await api(fixture, `${repoPath}/git/trees/${treeSha}?recursive=1`))
      .json as TreeResponse;
    const level = (await api(fixture, `${repoPath}/git/trees/${treeSha}`)).json as TreeResponse;

    expect(recursive.truncated).toBe(true);
    expect(recursive.tree).toHaveLength(50);
    expect(recursive.tree.map(({ url: _url, ...entry }) => entry)).toEqual(
      gitTree(fixture, treeSha).slice(0, 50),
    );
    expect(level.truncated).toBe(false);
    expect(level.tree).toHaveLength(gitTree(fixture, treeSha, false).length);
  });
});

/** git's tree order for file paths of one listing: byte order, where a folder sorts as if its name ended in "/". */
function gitOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
