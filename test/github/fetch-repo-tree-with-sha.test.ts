import { describe, expect, it } from "@jest/globals";
import { fetchRepoTreeWithSha, type TreeRequest } from "../../src/github/fetch-repo-tree-with-sha.js";
import { githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

const trees = "/repos/octo-org/hello-world/git/trees";
const fetchTree = (treeSha: string, onRequest?: (request: TreeRequest) => void) =>
  fetchRepoTreeWithSha({ client: testOctokit(), owner: "octo-org", repo: "hello-world", treeSha, onRequest });

type FixtureEntry = { path: string; mode: string; type: string; sha: string; size?: number };

describe("fetchRepoTreeWithSha", () => {
  const github = useNockGitHub();

  it("lists a tree in one recursive request: files, executables, symlinks and submodules, sorted by code unit", async () => {
    const tree = githubFixture("tree.recursive.json");
    github.api().get(`${trees}/${tree.sha}`).query({ recursive: "1" }).reply(200, tree);
    const entry = (path: string) => tree.tree.find((item: FixtureEntry) => item.path === path);

    const result = await fetchTree(tree.sha);

    expect(result.treeSha).toBe(tree.sha);
    expect(result.requests).toBe(1);
    expect(result.entries.map((item) => item.path)).toEqual([
      ".gitmodules",
      "README.md",
      "Z.md",
      "a-b.txt",
      "a.txt",
      "a/b.txt",
      "bin/run.sh",
      "link-to-readme",
      "vendor/lib",
      "ünïcode.md",
    ]);
    expect(result.entries.find((item) => item.path === "bin/run.sh")).toEqual({
      path: "bin/run.sh",
      mode: "100755",
      type: "blob",
      sha: entry("bin/run.sh").sha,
      size: 21,
    });
    expect(result.entries.find((item) => item.path === "link-to-readme")).toEqual({
      path: "link-to-readme",
      mode: "120000",
      type: "blob",
      sha: entry("link-to-readme").sha,
      size: "README.md".length,
    });
    expect(result.entries.find((item) => item.path === "vendor/lib")).toEqual({
      path: "vendor/lib",
      mode: "160000",
      type: "commit",
      sha: entry("vendor/lib").sha,
      size: 0,
    });
  });

  it("takes a blob listed without a size (optional in GitHub's description): its size is learnt when fetched", async () => {
    const tree = githubFixture("tree.recursive.json");
    const sizeless = {
      ...tree,
      tree: tree.tree.map((item: FixtureEntry) =>
        item.path === "README.md" ? { ...item, size: undefined } : item,
      ),
    };
    github.api().get(`${trees}/${tree.sha}`).query({ recursive: "1" }).reply(200, sizeless);

    const result = await fetchTree(tree.sha);

    expect(result.entries.find((item) => item.path === "README.md")).toMatchObject({ type: "blob", size: 0 });
  });

  it("resolves a commit SHA to its tree and returns the tree's own SHA", async () => {
    const tree = githubFixture("tree.recursive.json");
    const commitSha = "c".repeat(40);
    github.api().get(`${trees}/${commitSha}`).query({ recursive: "1" }).reply(200, tree);

    const result = await fetchTree(commitSha);

    expect(result.treeSha).toBe(tree.sha);
  });

  it("walks a truncated tree subtree by subtree to a complete listing", async () => {
    const fixture = (name: string) => githubFixture(`tree.truncated.${name}.json`);
    const root = fixture("root");
    const sha = (name: string) => fixture(name).sha;
    const api = github.api();
    const mock = (name: string, recursive: boolean) => {
      const interceptor = api.get(`${trees}/${sha(name)}`);
      (recursive ? interceptor.query({ recursive: "1" }) : interceptor).reply(200, fixture(name));
    };
    mock("root-recursive", true);
    mock("root", false);
    mock("copy-recursive", true);
    mock("src-recursive", true);
    mock("vendor-recursive", true);
    mock("vendor", false);
    mock("huge-recursive", true);
    mock("huge", false);
    mock("small-recursive", true);
    const progress: TreeRequest[] = [];

    const result = await fetchTree(root.sha, (request) => progress.push(request));

    expect(result.treeSha).toBe(root.sha);
    expect(result.entries.map((entry) => `${entry.mode} ${entry.type} ${entry.path} ${entry.size}`)).toEqual([
      "100644 blob README.md 6",
      "100644 blob copy-a/file.txt 8",
      "100644 blob copy-b/file.txt 8",
      `160000 commit ext 0`,
      "100644 blob src/index.ts 11",
      "100644 blob src/lib/util.ts 23",
      "100644 blob vendor/LICENSE 4",
      "100644 blob vendor/huge/x.js 2",
      "100644 blob vendor/huge/y.js 2",
      "120000 blob vendor/link 7",
      "100644 blob vendor/small/m.js 2",
    ]);
    const expectedRequests = [
      `${trees}/${sha("root")}?recursive=1`,
      `${trees}/${sha("root")}`,
      `${trees}/${sha("copy-recursive")}?recursive=1`,
      `${trees}/${sha("src-recursive")}?recursive=1`,
      `${trees}/${sha("vendor")}?recursive=1`,
      `${trees}/${sha("vendor")}`,
      `${trees}/${sha("huge")}?recursive=1`,
      `${trees}/${sha("huge")}`,
      `${trees}/${sha("small-recursive")}?recursive=1`,
    ];
    // Subtrees are fetched concurrently, so arrival order varies: compare the sets (each mock answers once).
    expect(
      github
        .requests()
        .map((request) => request.path)
        .sort(),
    ).toEqual(expectedRequests.sort());
    expect(result.requests).toBe(9);
    expect(
      progress.map((request) => `${request.path || "/"} ${request.recursive ? "recursive" : "level"}`).sort(),
    ).toEqual(
      [
        "/ recursive",
        "/ level",
        "copy-a/ recursive",
        "src/ recursive",
        "vendor/ recursive",
        "vendor/ level",
        "vendor/huge/ recursive",
        "vendor/huge/ level",
        "vendor/small/ recursive",
      ].sort(),
    );
  });

  it("fails rather than return a partial listing when a single directory is truncated", async () => {
    const root = githubFixture("tree.truncated.root-recursive.json");
    github
      .api()
      .get(`${trees}/${root.sha}`)
      .query({ recursive: "1" })
      .reply(200, root)
      .get(`${trees}/${root.sha}`)
      .reply(200, root);

    await expect(fetchTree(root.sha)).rejects.toMatchObject({
      code: "GITHUB_INVALID_RESPONSE",
      message: expect.stringContaining('single directory "/"'),
    });
  });

  it("rejects an entry with a malformed SHA as GITHUB_INVALID_RESPONSE", async () => {
    const tree = githubFixture("tree.recursive.json");
    tree.tree[1].sha = "not-a-sha";
    github.api().get(`${trees}/${tree.sha}`).query({ recursive: "1" }).reply(200, tree);

    await expect(fetchTree(tree.sha)).rejects.toMatchObject({
      code: "GITHUB_INVALID_RESPONSE",
      message: expect.stringContaining("tree.1.sha"),
    });
  });

  it("reports an empty repository as CONFLICT", async () => {
    github
      .api()
      .get(`${trees}/main`)
      .query({ recursive: "1" })
      .reply(409, { message: "Git Repository is empty.", documentation_url: "https://docs.github.com/rest" });

    await expect(fetchTree("main")).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
