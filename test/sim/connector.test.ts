import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { createClientFactory } from "../../src/github/create-client-factory.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { fetchBlobContents } from "../../src/github/fetch-blob-contents.js";
import { fetchBranchHead } from "../../src/github/fetch-branch-head.js";
import { fetchBranches } from "../../src/github/fetch-branches.js";
import { fetchRepoArchive } from "../../src/github/fetch-repo-archive.js";
import { fetchRepoTreeWithSha } from "../../src/github/fetch-repo-tree-with-sha.js";
import { fetchRepository } from "../../src/github/fetch-repository.js";
import type { BlobContent, GitHubClient } from "../../src/github/github-client.js";
import { gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "./use-simulator.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const MAX_FILE_SIZE = 1024 * 1024;

describe("the real connector against the GitHub simulator", () => {
  const fixture = useSimulator({ files: 250, sim: { treeTruncateLimit: 100 } });
  const client = () =>
    createOctokit({ auth: "x", baseUrl: fixture.address.apiUrl, retry: false, throttle: false, log: silent });

  it("reads repository, branch head, complete tree (walked past truncation) and every file's exact content", async () => {
    const github = client();
    const { headSha, treeSha } = fixture.repo;

    const repository = await fetchRepository({ client: github, owner: OWNER, repo: NAME });
    const head = await fetchBranchHead({
      client: github,
      owner: OWNER,
      repo: NAME,
      branch: repository.defaultBranch,
    });
    const tree = await fetchRepoTreeWithSha({
      client: github,
      owner: OWNER,
      repo: NAME,
      treeSha: head.commitSha,
    });
    const contents = await readAll(github, tree.entries);

    expect(repository).toEqual({
      githubId: 4242,
      owner: OWNER,
      name: NAME,
      defaultBranch: "main",
      isPrivate: false,
    });
    expect(head).toEqual({ commitSha: headSha, treeSha });
    expect(tree.treeSha).toBe(treeSha);
    expect(tree.requests).toBeGreaterThan(1);
    const files = gitTree(fixture, headSha).filter((entry) => entry.type !== "tree");
    expect(tree.entries.map((entry) => entry.path).sort()).toEqual(files.map((entry) => entry.path).sort());
    expectContentsMatchGit(fixture, contents, files);
  });

  it("reads every file from one tarball download with the archive reader", async () => {
    const { headSha } = fixture.repo;
    const files = gitTree(fixture, headSha).filter((entry) => entry.type === "blob");
    const wanted = new Map(files.map((file) => [file.path, { sha: file.sha, mode: file.mode }]));
    const contents = new Map<string, BlobContent>();

    const archive = fetchRepoArchive({
      client: client(),
      owner: OWNER,
      repo: NAME,
      ref: headSha,
      wanted,
      maxFileSizeBytes: MAX_FILE_SIZE,
    });
    let step = await archive.next();
    while (!step.done) {
      for (const content of step.value) contents.set(content.sha, content);
      step = await archive.next();
    }

    expect(step.value.missing).toEqual([]);
    expectContentsMatchGit(fixture, contents, files);
  });

  it("follows the simulator's Link header across branch pages", async () => {
    const names = Array.from({ length: 130 }, (_, index) => `topic/${String(index).padStart(3, "0")}`);
    for (const name of names) fixture.sim.setBranch(OWNER, NAME, name, fixture.repo.headSha);

    const branches = await fetchBranches({ client: client(), owner: OWNER, repo: NAME });

    for (const name of names) fixture.sim.deleteBranch(OWNER, NAME, name);
    expect(branches.map((branch) => branch.name)).toEqual(["main", ...names]);
  });

  it("authenticates as a GitHub App installation when pointed at the simulator with GHE_HOST", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const githubFor = createClientFactory(
      {
        GITHUB_TOKEN: undefined,
        PRIVATE_KEY_PATH: undefined,
        APP_ID: "1",
        PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        ...fixture.address.ghe,
      },
      { retry: false, throttle: false, log: silent },
    );
    fixture.sim.resetStats();

    const github = await githubFor({ owner: OWNER, name: NAME });
    const repository = await fetchRepository({ client: github as GitHubClient, owner: OWNER, repo: NAME });

    expect(repository.githubId).toBe(4242);
    expect(fixture.sim.stats().requests).toEqual({
      "GET /repos/{owner}/{repo}/installation": 1,
      "POST /app/installations/{installation_id}/access_tokens": 1,
      "GET /repos/{owner}/{repo}": 1,
    });
  });
});

async function readAll(client: GitHubClient, entries: { sha: string; size: number; type: string }[]) {
  const blobs = entries.filter((entry) => entry.type === "blob");
  const contents = new Map<string, BlobContent>();
  for await (const batch of fetchBlobContents({
    client,
    owner: OWNER,
    repo: NAME,
    blobs,
    maxFileSizeBytes: MAX_FILE_SIZE,
  })) {
    for (const content of batch) contents.set(content.sha, content);
  }
  return contents;
}

/** Text equals git's bytes decoded; binary (NUL or invalid UTF-8) is omitted; truncated GraphQL text was completed raw. */
function expectContentsMatchGit(
  fixture: SimulatorFixture,
  contents: Map<string, BlobContent>,
  files: { type: string; sha: string; size?: number }[],
): void {
  let binary = 0;
  let large = 0;
  const blobs = files.filter((entry) => entry.type === "blob");
  const bytesOf = fixture.blobs(blobs.map((blob) => blob.sha));
  for (const file of blobs) {
    const bytes = bytesOf.get(file.sha) as Buffer;
    const content = contents.get(file.sha);
    if (bytes.includes(0)) {
      expect({ sha: file.sha, omitted: content?.omitted }).toEqual({ sha: file.sha, omitted: "binary" });
      binary += 1;
    } else {
      expect({ sha: file.sha, same: content?.content === bytes.toString("utf8") }).toEqual({
        sha: file.sha,
        same: true,
      });
      if (bytes.length > 512_000) large += 1;
    }
  }
  expect(binary).toBeGreaterThan(0);
  expect(large).toBeGreaterThan(0);
}
