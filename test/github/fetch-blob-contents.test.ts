import { describe, expect, it } from "@jest/globals";
import { fetchBlobContents } from "../../src/github/fetch-blob-contents.js";
import { gitBlobSha } from "../../src/github/git-blob-sha.js";
import type { BlobContent } from "../../src/github/github-client.js";
import { githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

const MB = 1024 * 1024;
const rawPath = (sha: string) => `/repos/octo-org/hello-world/git/blobs/${sha}`;
const RAW = "application/vnd.github.raw";

type GraphqlBlob = {
  oid: string;
  byteSize: number;
  isBinary: boolean | null;
  isTruncated: boolean;
  text: string | null;
};

/** A blob as GitHub's GraphQL API describes it, with its real SHA. */
function graphqlBlob(content: string | Buffer, overrides: Partial<GraphqlBlob> = {}): GraphqlBlob {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return {
    oid: gitBlobSha(bytes),
    byteSize: bytes.length,
    isBinary: false,
    isTruncated: false,
    text: bytes.toString("utf8"),
    ...overrides,
  };
}

const graphqlResponse = (blobs: (GraphqlBlob | null)[]) => ({
  data: { repository: Object.fromEntries(blobs.map((blob, index) => [`b${index}`, blob])) },
});

async function collect(
  blobs: { sha: string; size: number }[],
  maxFileSizeBytes = 10 * MB,
): Promise<BlobContent[][]> {
  const batches: BlobContent[][] = [];
  for await (const batch of fetchBlobContents({
    client: testOctokit(),
    owner: "octo-org",
    repo: "hello-world",
    blobs,
    maxFileSizeBytes,
  })) {
    batches.push(batch);
  }
  return batches;
}

describe("fetchBlobContents", () => {
  const github = useNockGitHub();

  it("reads text, symlinks, binary, NUL text and truncated text (raw) from one GraphQL query", async () => {
    const response = githubFixture("graphql.blobs.json");
    const blobs: GraphqlBlob[] = Object.values(response.data.repository);
    const [text, symlink, binary, nul, truncated] = blobs as [
      GraphqlBlob,
      GraphqlBlob,
      GraphqlBlob,
      GraphqlBlob,
      GraphqlBlob,
    ];
    const fullText = "lorem ipsum dolor sit amet\n".repeat(100);
    github
      .api()
      .post("/graphql")
      .reply(200, response)
      .get(rawPath(truncated.oid))
      .matchHeader("accept", RAW)
      .reply(200, Buffer.from(fullText), { "content-type": `${RAW}; charset=utf-8` });

    const batches = await collect(blobs.map((blob) => ({ sha: blob.oid, size: blob.byteSize })));

    // what the query gave whole first, then the raw downloads (grouped by their now known sizes)
    expect(batches).toEqual([
      [
        { sha: text.oid, size: 14, isBinary: false, content: "# Hello World\n", omitted: null },
        { sha: symlink.oid, size: 9, isBinary: false, content: "README.md", omitted: null },
        { sha: binary.oid, size: 8, isBinary: true, content: null, omitted: "binary" },
        { sha: nul.oid, size: 4, isBinary: true, content: null, omitted: "binary" },
      ],
      [{ sha: truncated.oid, size: 2700, isBinary: false, content: fullText, omitted: null }],
    ]);
    const [query, raw] = github.requests();
    expect(query?.body).toEqual({
      query: expect.stringMatching(
        /^query\(\$owner: String!, \$name: String!\) \{ repository\(owner: \$owner, name: \$name\) \{ b0: object\(oid: "[0-9a-f]{40}"\) \{ \.\.\. on Blob \{ oid byteSize isBinary isTruncated text \} \} b1: /,
      ),
      variables: { owner: "octo-org", name: "hello-world" },
    });
    expect(raw).toEqual({ method: "GET", path: rawPath(truncated.oid), body: undefined });
  });

  it("batches 250 small blobs into exactly 3 queries of 100, 100 and 50, yielding one batch per query", async () => {
    const blobs = Array.from({ length: 250 }, (_, index) => graphqlBlob(`file ${index}\n`));
    const api = github.api();
    for (const slice of [blobs.slice(0, 100), blobs.slice(100, 200), blobs.slice(200)]) {
      api.post("/graphql").reply(200, graphqlResponse(slice));
    }

    const batches = await collect(blobs.map((blob) => ({ sha: blob.oid, size: blob.byteSize })));

    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((blob) => blob.content)).toEqual(blobs.map((blob) => blob.text));
    const queries = github.requests().map((request) => (request.body as { query: string }).query);
    expect(queries).toHaveLength(3);
    expect(queries.map((query) => query.match(/\bb\d+: object/g)?.length)).toEqual([100, 100, 50]);
    expect(queries[0]).toContain(`b0: object(oid: "${blobs[0]?.oid}")`);
    expect(queries[0]).toContain(`b99: object(oid: "${blobs[99]?.oid}")`);
    expect(queries[1]).toContain(`b0: object(oid: "${blobs[100]?.oid}")`);
    expect(queries[2]).toContain(`b49: object(oid: "${blobs[249]?.oid}")`);
    expect(queries[2]).not.toContain("b50:");
  });

  it("bounds a query by summed size, giving a blob bigger than the bound a query of its own", async () => {
    // sizes as the tree reported them; the bound is about 4 MB per query
    const blobs = ["a", "b", "c", "d", "e"].map((name) => graphqlBlob(`${name}\n`));
    const sizes = [1.5 * MB, 1.5 * MB, 1.5 * MB, 5 * MB, 0.5 * MB];
    const api = github.api();
    for (const slice of [blobs.slice(0, 2), blobs.slice(2, 3), blobs.slice(3, 4), blobs.slice(4)]) {
      api.post("/graphql").reply(200, graphqlResponse(slice));
    }

    const batches = await collect(blobs.map((blob, index) => ({ sha: blob.oid, size: sizes[index] ?? 0 })));

    expect(batches.map((batch) => batch.map((blob) => blob.content))).toEqual([
      ["a\n", "b\n"],
      ["c\n"],
      ["d\n"],
      ["e\n"],
    ]);
  });

  it("yields blobs over maxFileSizeBytes as too_large without requesting them", async () => {
    const small = graphqlBlob("small\n");
    const big = "f".repeat(40);
    github
      .api()
      .post("/graphql")
      .reply(200, graphqlResponse([small]));

    const batches = await collect(
      [
        { sha: big, size: 2 * MB },
        { sha: small.oid, size: small.byteSize },
      ],
      MB,
    );

    expect(batches).toEqual([
      [{ sha: big, size: 2 * MB, isBinary: false, content: null, omitted: "too_large" }],
      [{ sha: small.oid, size: 6, isBinary: false, content: "small\n", omitted: null }],
    ]);
    expect(github.requests()).toHaveLength(1);
    expect(JSON.stringify(github.requests()[0]?.body)).not.toContain(big);
  });

  it("treats raw bytes that are not valid UTF-8 as binary, even when served as charset=utf-8", async () => {
    const latin1 = Buffer.from("caf\xe9 cr\xe8me\n", "latin1");
    const blob = graphqlBlob(latin1, { isTruncated: true, text: "caf" });
    github
      .api()
      .post("/graphql")
      .reply(200, graphqlResponse([blob]))
      .get(rawPath(blob.oid))
      .reply(200, latin1, { "content-type": `${RAW}; charset=utf-8` });

    const batches = await collect([{ sha: blob.oid, size: blob.byteSize }]);

    expect(batches).toEqual([
      [{ sha: blob.oid, size: 11, isBinary: true, content: null, omitted: "binary" }],
    ]);
  });

  it("re-reads raw when GraphQL text does not hash back to the blob, and keeps a byte order mark", async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("bom\r\n")]);
    const blob = graphqlBlob(bytes, { text: "bom\n" });
    github
      .api()
      .post("/graphql")
      .reply(200, graphqlResponse([blob]))
      .get(rawPath(blob.oid))
      .reply(200, bytes, { "content-type": RAW });

    const batches = await collect([{ sha: blob.oid, size: blob.byteSize }]);

    expect(batches).toEqual([
      [{ sha: blob.oid, size: 8, isBinary: false, content: "\ufeffbom\r\n", omitted: null }],
    ]);
  });

  it("fails with GITHUB_INVALID_RESPONSE when raw bytes do not match the blob SHA", async () => {
    const blob = graphqlBlob("the real content\n", { isTruncated: true, text: "the real" });
    github
      .api()
      .post("/graphql")
      .reply(200, graphqlResponse([blob]))
      .get(rawPath(blob.oid))
      .reply(200, Buffer.from("something else\n"), { "content-type": RAW });

    await expect(collect([{ sha: blob.oid, size: blob.byteSize }])).rejects.toMatchObject({
      code: "GITHUB_INVALID_RESPONSE",
      message: expect.stringContaining(`blob ${blob.oid}`),
    });
  });

  it("fails with GITHUB_INVALID_RESPONSE naming a blob GitHub cannot find", async () => {
    const missing = "e".repeat(40);
    github
      .api()
      .post("/graphql")
      .reply(200, graphqlResponse([null]));

    await expect(collect([{ sha: missing, size: 10 }])).rejects.toMatchObject({
      code: "GITHUB_INVALID_RESPONSE",
      message: expect.stringContaining(missing),
    });
  });

  it("maps GraphQL errors: NOT_FOUND repository and RATE_LIMITED", async () => {
    const blob = graphqlBlob("x\n");
    github
      .api()
      .post("/graphql")
      .reply(200, {
        data: { repository: null },
        errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository." }],
      })
      .post("/graphql")
      .reply(200, {
        errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for installation." }],
      });

    await expect(collect([{ sha: blob.oid, size: 2 }])).rejects.toMatchObject({
      code: "REPOSITORY_NOT_FOUND",
    });
    await expect(collect([{ sha: blob.oid, size: 2 }])).rejects.toMatchObject({
      code: "GITHUB_RATE_LIMITED",
      retryable: true,
    });
  });

  it("asks for each SHA once and only when the caller wants the next batch", async () => {
    const blobs = Array.from({ length: 150 }, (_, index) => graphqlBlob(`lazy ${index}\n`));
    github
      .api()
      .post("/graphql")
      .reply(200, graphqlResponse(blobs.slice(0, 100)));
    const input = [...blobs, ...blobs].map((blob) => ({ sha: blob.oid, size: blob.byteSize }));

    const generator = fetchBlobContents({
      client: testOctokit(),
      owner: "octo-org",
      repo: "hello-world",
      blobs: input,
      maxFileSizeBytes: MB,
    });
    const first = await generator.next();
    await generator.return(undefined);

    expect(first.value).toHaveLength(100);
    expect(github.requests()).toHaveLength(1);
  });

  it("downloads text GraphQL truncated in groups bounded by bytes, even when no size was known beforehand", async () => {
    // a compare lists no sizes (0 here); GraphQL then reports 20 MB each, under a raised size cap of 100 MB
    const texts = ["one\n", "two\n", "three\n"];
    const blobs = texts.map((text) => graphqlBlob(text, { byteSize: 20 * MB, isTruncated: true }));
    const api = github.api().post("/graphql").reply(200, graphqlResponse(blobs));
    for (const [index, blob] of blobs.entries()) {
      api
        .get(rawPath(blob.oid))
        .reply(200, Buffer.from(texts[index] ?? ""), { "content-type": `${RAW}; charset=utf-8` });
    }

    const batches = await collect(
      blobs.map((blob) => ({ sha: blob.oid, size: 0 })),
      100 * MB,
    );

    // 32 MB in flight at most: one 20 MB download at a time
    expect(batches.map((batch) => batch.map((blob) => blob.content))).toEqual([
      ["one\n"],
      ["two\n"],
      ["three\n"],
    ]);
  });

  it("queries a SHA listed twice (two files, same content) once", async () => {
    const blob = graphqlBlob("same\n");
    github
      .api()
      .post("/graphql")
      .reply(200, graphqlResponse([blob]));

    const batches = await collect([
      { sha: blob.oid, size: blob.byteSize },
      { sha: blob.oid, size: blob.byteSize },
    ]);

    expect(batches).toEqual([
      [{ sha: blob.oid, size: 5, isBinary: false, content: "same\n", omitted: null }],
    ]);
  });

  it("rejects a SHA that is not 40 hex characters before building a query", async () => {
    await expect(collect([{ sha: 'x") { id } b1: object(oid: "y', size: 1 }])).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
  });
});
