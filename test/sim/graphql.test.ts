import { execFileSync } from "node:child_process";
import { describe, expect, it } from "@jest/globals";
import { gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "./use-simulator.js";

const BLOB_FIELDS = "... on Blob { oid byteSize isBinary isTruncated text }";
const TREE_FIELDS = "... on Tree { oid entries { name mode type oid } }";

describe("GitHub simulator GraphQL", () => {
  const fixture = useSimulator({ files: 200 });

  it("answers a batch of aliased object(oid:) blobs: text, binary (no text), truncated text, empty, missing, not a blob", async () => {
    const blobs = gitTree(fixture, fixture.repo.headSha).filter((entry) => entry.type === "blob");
    const bytesOf = fixture.blobs(blobs.map((blob) => blob.sha));
    const content = (sha: string) => bytesOf.get(sha) as Buffer;
    const text = blobs.find((blob) => blob.path.endsWith(".ts") && (blob.size ?? 0) > 0) as { sha: string };
    const binary = blobs.find((blob) => content(blob.sha).subarray(0, 8000).includes(0)) as { sha: string };
    const huge = blobs.find((blob) => (blob.size ?? 0) > 512_000) as { sha: string; size: number };
    const empty = blobs.find((blob) => blob.size === 0) as { sha: string };
    const missing = "0123456789012345678901234567890123456789";
    const shas = [text.sha, binary.sha, huge.sha, empty.sha, missing, fixture.repo.treeSha];

    const response = await graphql(fixture, blobQuery(shas), { owner: OWNER, name: NAME });

    const hugeBytes = content(huge.sha);
    expect(response).toEqual({
      data: {
        repository: {
          b0: {
            oid: text.sha,
            byteSize: content(text.sha).length,
            isBinary: false,
            isTruncated: false,
            text: content(text.sha).toString("utf8"),
          },
          b1: {
            oid: binary.sha,
            byteSize: content(binary.sha).length,
            isBinary: true,
            isTruncated: false,
            text: null,
          },
          b2: {
            oid: huge.sha,
            byteSize: huge.size,
            isBinary: false,
            isTruncated: true,
            text: hugeBytes.subarray(0, 512_000).toString("utf8"),
          },
          b3: { oid: empty.sha, byteSize: 0, isBinary: false, isTruncated: false, text: "" },
          b4: null,
          b5: {},
        },
      },
    });
  });

  it('resolves object(expression: "<branch>:<path>") through the simulator\'s branch heads', async () => {
    const path = fixture.repo.paths.find((candidate) => candidate.includes(" ")) as string;
    const sha = fixture.git("rev-parse", `${fixture.repo.headSha}:${path}`).trim();

    const response = await graphql(
      fixture,
      `query { repository(owner: "${OWNER}", name: "${NAME}") { file: object(expression: ${JSON.stringify(`main:${path}`)}) { ... on Blob { oid } } gone: object(expression: "main:no/such/file") { ... on Blob { oid } } } }`,
    );

    expect(response).toEqual({ data: { repository: { file: { oid: sha }, gone: null } } });
  });

  it("lists tree entries of the root and of every folder as git ls-tree does, modes as the octal digits' number", async () => {
    const head = fixture.repo.headSha;
    const folders = gitTree(fixture, head).filter((entry) => entry.type === "tree");
    const paths = ["", ...folders.map((folder) => folder.path)];
    const fields = paths
      .map(
        (path, index) =>
          `d${index}: object(expression: ${JSON.stringify(`${head}:${path}`)}) { ${TREE_FIELDS} }`,
      )
      .join(" ");

    const response = await graphql(fixture, repositoryQuery(fields), { owner: OWNER, name: NAME });

    const expected = Object.fromEntries(
      paths.map((path, index) => [
        `d${index}`,
        {
          oid: fixture.git("rev-parse", `${head}:${path}`).trim(),
          entries: gitTree(fixture, `${head}:${path}`, false).map((entry) => ({
            name: entry.path,
            mode: Number.parseInt(entry.mode, 8),
            type: entry.type,
            oid: entry.sha,
          })),
        },
      ]),
    );
    expect(folders.some((folder) => folder.path.includes("/"))).toBe(true);
    expect(response).toEqual({ data: { repository: expected } });
    const modes = new Set(
      Object.values(expected).flatMap((tree) => tree.entries.map((entry: { mode: number }) => entry.mode)),
    );
    expect([...modes].sort()).toEqual([16384, 33188, 33261, 40960]);
  });

  it("answers a commit's tree oid and entries, a submodule entry as type commit, and a missing path as null", async () => {
    const head = fixture.repo.headSha;
    const gitDir = fixture.repo.gitDir;
    const submodule = "1111111111111111111111111111111111111111";
    const tree = execFileSync("git", ["--git-dir", gitDir, "mktree"], {
      input: `160000 commit ${submodule}\tvendor\n040000 tree ${fixture.repo.treeSha}\tsub dir\n`,
    })
      .toString()
      .trim();
    const commit = execFileSync("git", ["--git-dir", gitDir, "commit-tree", tree, "-m", "submodule"], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t",
      },
    })
      .toString()
      .trim();

    const response = await graphql(
      fixture,
      repositoryQuery(
        `head: object(oid: "${head}") { ... on Commit { oid tree { oid } } }
         other: object(oid: "${commit}") { __typename ... on Commit { tree { oid entries { name mode type oid } } } }
         gone: object(expression: "${head}:no/such/folder") { ... on Tree { oid entries { name } } }
         blob: object(oid: "${head}") { ... on Tree { oid } }`,
      ),
      { owner: OWNER, name: NAME },
    );

    expect(response).toEqual({
      data: {
        repository: {
          head: { oid: head, tree: { oid: fixture.repo.treeSha } },
          other: {
            __typename: "Commit",
            tree: {
              oid: tree,
              entries: [
                { name: "sub dir", mode: 16384, type: "tree", oid: fixture.repo.treeSha },
                { name: "vendor", mode: 57344, type: "commit", oid: submodule },
              ],
            },
          },
          gone: null,
          blob: {},
        },
      },
    });
  });

  it("answers a tree entry's object, nested: a folder's entries, {} for a blob under ... on Tree, null for a submodule's commit", async () => {
    const gitDir = fixture.repo.gitDir;
    const submodule = "2222222222222222222222222222222222222222";
    const folder = gitTree(fixture, fixture.repo.headSha, false).find((entry) => entry.type === "tree");
    const file = gitTree(fixture, fixture.repo.headSha, false).find((entry) => entry.type === "blob");
    if (!folder || !file) throw new Error("the generated repository has no folder or no file at its root");
    const tree = execFileSync("git", ["--git-dir", gitDir, "mktree"], {
      input: `160000 commit ${submodule}\tmod\n040000 tree ${folder.sha}\tdir\n100644 blob ${file.sha}\tfile\n`,
    })
      .toString()
      .trim();

    const response = await graphql(
      fixture,
      repositoryQuery(
        `t: object(oid: "${tree}") { ... on Tree { oid entries { name type object { __typename ... on Tree { oid entries { name oid } } } } } }`,
      ),
      { owner: OWNER, name: NAME },
    );

    const inside = gitTree(fixture, folder.sha, false).map((entry) => ({
      name: entry.path,
      oid: entry.sha,
    }));
    expect(response).toEqual({
      data: {
        repository: {
          t: {
            oid: tree,
            entries: [
              { name: "dir", type: "tree", object: { __typename: "Tree", oid: folder.sha, entries: inside } },
              { name: "file", type: "blob", object: { __typename: "Blob" } },
              { name: "mod", type: "commit", object: null },
            ],
          },
        },
      },
    });
  });

  it("answers the connector's mixed query: a commit, trees by expression, a bare oid and blobs in one request", async () => {
    const head = fixture.repo.headSha;
    const entries = gitTree(fixture, head);
    const folder = entries.find((entry) => entry.type === "tree" && entry.path.includes("/")) as {
      path: string;
    };
    const top = folder.path.slice(0, folder.path.indexOf("/"));
    const blob = entries.find((entry) => entry.type === "blob" && entry.path.endsWith(".ts")) as {
      sha: string;
    };
    const listing = (path: string) => ({
      oid: fixture.git("rev-parse", `${head}:${path}`).trim(),
      entries: gitTree(fixture, `${head}:${path}`, false).map((entry) => ({
        name: entry.path,
        mode: Number.parseInt(entry.mode, 8),
        type: entry.type,
        oid: entry.sha,
      })),
    });
    const text = fixture.blobs([blob.sha]).get(blob.sha) as Buffer;

    const response = await graphql(
      fixture,
      repositoryQuery(
        `head: object(oid: "${head}") { ... on Commit { oid tree { oid } } }
         d0: object(expression: "${head}:") { ${TREE_FIELDS} }
         d1: object(expression: ${JSON.stringify(`${head}:${folder.path}`)}) { ${TREE_FIELDS} }
         s0: object(expression: ${JSON.stringify(`${head}:${top}`)}) { oid }
         b0: object(oid: "${blob.sha}") { ${BLOB_FIELDS} }`,
      ),
      { owner: OWNER, name: NAME },
    );

    expect(response).toEqual({
      data: {
        repository: {
          head: { oid: head, tree: { oid: fixture.repo.treeSha } },
          d0: listing(""),
          d1: listing(folder.path),
          s0: { oid: fixture.git("rev-parse", `${head}:${top}`).trim() },
          b0: {
            oid: blob.sha,
            byteSize: text.length,
            isBinary: false,
            isTruncated: false,
            text: text.toString("utf8"),
          },
        },
      },
    });
  });

  it("rejects unknown fields and misplaced selections inside nested selections", async () => {
    const head = fixture.repo.headSha;

    const response = await graphql(
      fixture,
      repositoryQuery(
        `a: object(oid: "${head}") { ... on Tree { entries { name nope } } }
         b: object(oid: "${head}") { ... on Commit { tree } }
         c: object(oid: "${head}") { ... on Commit { oid { x } tree { ... on Blob { text } } } }
         d: object(oid: "${head}") { ... on Nope { oid } }`,
      ),
      { owner: OWNER, name: NAME },
    );

    expect(response).toMatchObject({
      data: null,
      errors: [
        { message: "Field 'nope' doesn't exist on type 'TreeEntry'" },
        { message: expect.stringContaining("Field must have selections (field 'tree' returns Tree!") },
        { message: expect.stringContaining("Selections can't be made on scalars (field 'oid'") },
        { message: "Fragment on Blob can't be spread inside Tree" },
        { message: "No such type Nope, so it can't be a fragment condition" },
      ],
    });
  });

  it("reports an unknown repository and an unknown field as GitHub does: HTTP 200 with errors", async () => {
    const unknownRepository = await graphql(fixture, blobQuery([fixture.repo.treeSha]), {
      owner: OWNER,
      name: "nope",
    });
    const unknownField = await graphql(
      fixture,
      `query { repository(owner: "${OWNER}", name: "${NAME}") { b0: object(oid: "${fixture.repo.treeSha}") { ... on Tree { nope } } } }`,
    );

    expect(unknownRepository).toEqual({
      data: { repository: null },
      errors: [
        {
          type: "NOT_FOUND",
          path: ["repository"],
          message: `Could not resolve to a Repository with the name '${OWNER}/nope'.`,
        },
      ],
    });
    expect(unknownField).toMatchObject({
      errors: [{ message: "Field 'nope' doesn't exist on type 'Tree'" }],
    });
  });
});

/** The connector's query shape: `b<i>: object(oid: "…") { ... on Blob { … } }` under repository($owner, $name). */
function blobQuery(shas: string[]): string {
  return repositoryQuery(
    shas.map((sha, index) => `b${index}: object(oid: "${sha}") { ${BLOB_FIELDS} }`).join(" "),
  );
}

/** `fields` under `repository(owner: $owner, name: $name)`, as the connector sends them. */
function repositoryQuery(fields: string): string {
  return `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields} } }`;
}

async function graphql(fixture: SimulatorFixture, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(fixture.address.graphqlUrl, {
    method: "POST",
    headers: { authorization: "bearer ghs_test", "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return response.json();
}
