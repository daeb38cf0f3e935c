import { describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate-repository.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { fetchBlobContents } from "../../src/github/fetch-blob-contents.js";
import { fetchFoldersAt } from "../../src/github/fetch-folders-at.js";
import { gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "./use-simulator.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("GitHub simulator GraphQL: fragments that do not match", () => {
  const fixture = useSimulator({ files: 30 });

  it("answers {} for an object whose type the fragment does not name (not null, not an error)", async () => {
    const head = fixture.repo.headSha;
    const blob = gitTree(fixture, head).find((entry) => entry.type === "blob") as { sha: string };

    const response = await graphql(
      fixture,
      `blobAsTree: object(oid: "${blob.sha}") { ... on Tree { oid entries { name } } }
       blobAsCommit: object(oid: "${blob.sha}") { ... on Commit { oid tree { oid } } }
       treeAsBlob: object(expression: "${head}:") { ... on Blob { oid text } }
       treeAsCommit: object(expression: "main:") { ... on Commit { oid } }
       commitAsTree: object(expression: "main") { ... on Tree { oid } }
       both: object(oid: "${blob.sha}") { ... on Tree { oid } ... on Blob { byteSize } }`,
    );

    expect(response).toEqual({
      data: {
        repository: {
          blobAsTree: {},
          blobAsCommit: {},
          treeAsBlob: {},
          treeAsCommit: {},
          commitAsTree: {},
          both: { byteSize: expect.any(Number) },
        },
      },
    });
  });
});

describe("GitHub simulator GraphQL: the nullable isBinary and entries", () => {
  const fixture = useSimulator({
    files: 60,
    sim: { blobIsBinaryUnknownAbove: 1000, treeEntriesNullAbove: 3 },
  });

  it("answers isBinary: null past blobIsBinaryUnknownAbove and entries: null past treeEntriesNullAbove", async () => {
    const head = fixture.repo.headSha;
    const entries = gitTree(fixture, head);
    const bytesOf = fixture.blobs(entries.filter((entry) => entry.type === "blob").map((entry) => entry.sha));
    const isText = (sha: string) => !(bytesOf.get(sha) as Buffer).subarray(0, 8000).includes(0);
    const blobs = entries.filter((entry) => entry.type === "blob");
    const large = blobs.find((entry) => (entry.size ?? 0) > 1000 && isText(entry.sha)) as { sha: string };
    const small = blobs.find((entry) => (entry.size ?? 0) <= 1000 && isText(entry.sha)) as { sha: string };
    const withTiny = await commitChanges({
      gitDir: fixture.repo.gitDir,
      parent: head,
      changes: { "tiny/a.txt": "a\n", "tiny/b.txt": "b\n" },
    });
    expect(gitTree(fixture, head, false).length).toBeGreaterThan(3);

    const response = await graphql(
      fixture,
      `large: object(oid: "${large.sha}") { ... on Blob { isBinary text } }
       small: object(oid: "${small.sha}") { ... on Blob { isBinary } }
       root: object(expression: "${head}:") { ... on Tree { oid entries { name } } }
       tiny: object(expression: "${withTiny}:tiny") { ... on Tree { entries { name } } }`,
    );

    const data = (response as { data: { repository: Record<string, Record<string, unknown>> } }).data
      .repository;
    // Only the answer to "binary?" is unknown: the text is still there.
    expect(data.large).toEqual({ isBinary: null, text: (bytesOf.get(large.sha) as Buffer).toString("utf8") });
    expect(data.small).toEqual({ isBinary: false });
    expect(data.root).toEqual({ oid: fixture.git("rev-parse", `${head}:`).trim(), entries: null });
    expect(data.tiny).toEqual({ entries: [{ name: "a.txt" }, { name: "b.txt" }] });
  });

  it("serves the app's blob query: a blob of unknown encoding is read raw and still matches git", async () => {
    const head = fixture.repo.headSha;
    const blobs = gitTree(fixture, head).filter((entry) => entry.type === "blob" && (entry.size ?? 0) > 1000);
    const bytesOf = fixture.blobs(blobs.map((blob) => blob.sha));
    const text = blobs.filter((blob) => !(bytesOf.get(blob.sha) as Buffer).includes(0)).slice(0, 5);
    const client = createOctokit({
      auth: "x",
      baseUrl: fixture.address.apiUrl,
      retry: false,
      throttle: false,
    });
    fixture.sim.resetStats();

    const contents = [];
    for await (const batch of fetchBlobContents({
      client,
      owner: OWNER,
      repo: NAME,
      blobs: text.map((blob) => ({ sha: blob.sha, size: blob.size ?? 0 })),
      maxFileSizeBytes: 10 * 1024 * 1024,
    })) {
      contents.push(...batch);
    }

    expect(contents.map((content) => [content.sha, content.content])).toEqual(
      text.map((blob) => [blob.sha, (bytesOf.get(blob.sha) as Buffer).toString("utf8")]),
    );
    expect(fixture.sim.stats().requests["GET /repos/{owner}/{repo}/git/blobs/{sha}"]).toBe(text.length);
  });
});

describe("GitHub simulator GraphQL: the app's folder queries", () => {
  const fixture = useSimulator({ files: 40 });

  it("parses the app's queries for folders whose names need escaping: quotes, backslashes, spaces, non-ASCII", async () => {
    const odd = ['say "hi"', "back\\slash", "with space", "café ☕"];
    const commit = await commitChanges({
      gitDir: fixture.repo.gitDir,
      parent: fixture.repo.headSha,
      changes: Object.fromEntries(odd.map((folder) => [`${folder}/inner/file.txt`, `${folder}\n`])),
    });
    const client = createOctokit({
      auth: "x",
      baseUrl: fixture.address.apiUrl,
      retry: false,
      throttle: false,
      log: silent,
    });

    const folders = await fetchFoldersAt({
      client,
      owner: OWNER,
      repo: NAME,
      commit,
      folders: ["", ...odd.map((folder) => `${folder}/`), "no/such/"],
      shasOf: odd.map((folder) => `${folder}/inner/`),
    });

    expect(folders.treeSha).toBe(fixture.git("rev-parse", `${commit}^{tree}`).trim());
    for (const folder of odd) {
      expect(folders.entries.get(`${folder}/`)).toEqual([
        {
          name: "inner",
          mode: "040000",
          type: "tree",
          sha: fixture.git("rev-parse", `${commit}:${folder}/inner`).trim(),
        },
      ]);
      expect(folders.shas.get(`${folder}/inner/`)).toBe(
        fixture.git("rev-parse", `${commit}:${folder}/inner`).trim(),
      );
    }
    expect(folders.entries.get("")?.map((entry) => entry.name)).toEqual(expect.arrayContaining(odd));
    expect(folders.entries.get("no/such/")).toBeNull();
  });
});

async function graphql(fixture: SimulatorFixture, fields: string) {
  const response = await fetch(fixture.address.graphqlUrl, {
    method: "POST",
    headers: { authorization: "bearer ghs_test", "content-type": "application/json" },
    body: JSON.stringify({
      query: `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields} } }`,
      variables: { owner: OWNER, name: NAME },
    }),
  });
  expect(response.status).toBe(200);
  return response.json();
}
