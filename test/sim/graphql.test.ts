import { describe, expect, it } from "@jest/globals";
import { gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "./use-simulator.js";

const BLOB_FIELDS = "... on Blob { oid byteSize isBinary isTruncated text }";

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
  const fields = shas.map((sha, index) => `b${index}: object(oid: "${sha}") { ${BLOB_FIELDS} }`).join(" ");
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
