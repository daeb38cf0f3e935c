import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "@jest/globals";
import { pack } from "tar-stream";
import { countRequests } from "../../src/github/count-requests.js";
import {
  type FetchRepoArchiveOptions,
  type FetchRepoArchiveResult,
  fetchRepoArchive,
} from "../../src/github/fetch-repo-archive.js";
import { gitBlobSha } from "../../src/github/git-blob-sha.js";
import type { BlobContent, GitHubClient } from "../../src/github/github-client.js";
import { testOctokit, useNockGitHub } from "../helpers/nock-github.js";

const MB = 1024 * 1024;
const COMMIT = "abc1234def5678abc1234def5678abc1234def56";
const PREFIX = "octo-org-hello-world-abc1234/";
const TARBALL = `/repos/octo-org/hello-world/tarball/${COMMIT}`;
const CODELOAD = "https://codeload.github.com";
const CODELOAD_PATH = `/octo-org/hello-world/legacy.tar.gz/${COMMIT}`;

/** A file of the test archive: content, a symlink target, or a directory; path without the top folder. */
type ArchiveEntry =
  | { path: string; content: string | Buffer }
  | { path: string; symlink: string }
  | { path: string; directory: true };

/**
 * A tar.gz laid out like GitHub's (git archive's): a pax global header naming the commit, then every entry under
 * one `owner-repo-sha7/` folder.
 */
async function tarball(entries: ArchiveEntry[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const packed = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  archive.entry({ name: PREFIX, type: "directory" });
  for (const entry of entries) {
    const name = `${PREFIX}${entry.path}`;
    if ("directory" in entry) archive.entry({ name, type: "directory" });
    else if ("symlink" in entry)
      archive.entry({ name, type: "symlink", linkname: entry.symlink, mode: 0o777 });
    else archive.entry({ name }, entry.content);
  }
  archive.finalize();
  await packed;
  return gzipSync(Buffer.concat([paxGlobalHeader(`comment=${COMMIT}`), ...chunks]));
}

/** The `g` header git archive starts with; tar-stream can read but not write one, so it is built by hand. */
function paxGlobalHeader(record: string): Buffer {
  const line = ` ${record}\n`;
  const body = Buffer.from(`${line.length + String(line.length + 2).length}${line}`);
  const header = Buffer.alloc(512);
  header.write("pax_global_header", 0);
  header.write("0000666\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${body.length.toString(8).padStart(11, "0")}\0`, 124);
  header.write("00000000000\0", 136);
  header.write("g", 156);
  header.write("ustar\u000000", 257);
  header.write("        ", 148);
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, padding]);
}

const blobSha = (content: string | Buffer) => gitBlobSha(Buffer.from(content));
const wantedOf = (files: Record<string, string | Buffer>) =>
  new Map(Object.entries(files).map(([path, content]) => [path, { sha: blobSha(content), mode: "100644" }]));
const text = (content: string): BlobContent => ({
  sha: blobSha(content),
  size: Buffer.byteLength(content),
  isBinary: false,
  content,
  omitted: null,
});
const binary = (content: Buffer): BlobContent => ({
  sha: blobSha(content),
  size: content.length,
  isBinary: true,
  content: null,
  omitted: "binary",
});

function archive(options: Partial<FetchRepoArchiveOptions> & Pick<FetchRepoArchiveOptions, "wanted">) {
  return fetchRepoArchive({
    client: testOctokit(),
    owner: "octo-org",
    repo: "hello-world",
    ref: COMMIT,
    maxFileSizeBytes: MB,
    ...options,
  });
}

async function drain(
  generator: AsyncGenerator<BlobContent[], FetchRepoArchiveResult>,
): Promise<{ batches: BlobContent[][]; result: FetchRepoArchiveResult }> {
  const batches: BlobContent[][] = [];
  for (;;) {
    const step = await generator.next();
    if (step.done) return { batches, result: step.value };
    batches.push(step.value);
  }
}

/** How much of a served body the reader pulled, and whether it cancelled the rest. */
type ServedBody = { totalBytes: number; pulledBytes: number; cancelled: boolean };

/**
 * The client, with each streamed body served again in chunks made only when the reader pulls, the way a socket under
 * backpressure delivers them. (nock hands a body over in one piece, and its stream breaks when cancelled mid-read.)
 */
function servedInChunks(client: GitHubClient, chunkSize = 16 * 1024) {
  const bodies: ServedBody[] = [];
  const request = async (route: string, parameters: Record<string, unknown>) => {
    const response = await client.request(route, parameters);
    const bytes = new Uint8Array(await new Response(response.data as ReadableStream).arrayBuffer());
    const body: ServedBody = { totalBytes: bytes.length, pulledBytes: 0, cancelled: false };
    bodies.push(body);
    const data = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (body.pulledBytes >= bytes.length) return controller.close();
          const chunk = bytes.slice(body.pulledBytes, body.pulledBytes + chunkSize);
          body.pulledBytes += chunk.length;
          controller.enqueue(chunk);
        },
        cancel() {
          body.cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    return { ...response, data };
  };
  return { client: { request } as unknown as GitHubClient, bodies };
}

describe("fetchRepoArchive", () => {
  const github = useNockGitHub();

  it("follows GitHub's redirect to codeload and reads text, binary, empty and symlink blobs in one request", async () => {
    const files = {
      "README.md": "# Hello World\n",
      "src/index.ts": "export const answer = 42;\n",
      "assets/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      "notes/latin1.txt": Buffer.from("caf\xe9 cr\xe8me\n", "latin1"),
      "docs/bom.md": Buffer.from("\ufeffwith BOM\r\n"),
      "empty.txt": "",
    };
    const body = await tarball([
      { path: "src/", directory: true },
      ...Object.entries(files).map(([path, content]) => ({ path, content })),
      { path: "docs/readme-link", symlink: "../README.md" },
      { path: "not-wanted.txt", content: "skip me\n" },
    ]);
    const wanted = wantedOf(files);
    wanted.set("docs/readme-link", { sha: blobSha("../README.md"), mode: "120000" });
    github
      .api()
      .get(TARBALL)
      .reply(302, "", { location: `${CODELOAD}${CODELOAD_PATH}?token=AAAtoken` });
    const codeload = github.api(CODELOAD);
    const codeloadAuthorization: (string | null)[] = [];
    codeload.on("request", (request: Request) =>
      codeloadAuthorization.push(request.headers.get("authorization")),
    );
    codeload
      .get(CODELOAD_PATH)
      .query({ token: "AAAtoken" })
      .reply(200, body, { "content-type": "application/x-gzip" });
    const counted = countRequests(testOctokit());

    const { batches, result } = await drain(archive({ client: counted.client, wanted }));

    expect(batches).toEqual([
      [
        text("# Hello World\n"),
        text("export const answer = 42;\n"),
        binary(files["assets/logo.png"]),
        binary(files["notes/latin1.txt"]),
        text("\ufeffwith BOM\r\n"),
        text(""),
        text("../README.md"),
      ],
    ]);
    expect(result).toEqual({ missing: [] });
    expect(github.requests().map((request) => request.path)).toEqual([
      TARBALL,
      `${CODELOAD_PATH}?token=AAAtoken`,
    ]);
    // one API request (the redirect); the archive itself is read from codeload outside Octokit (downloadStream)
    expect(counted.stats()).toEqual({ requests: 1, bytes: 0 });
    // the installation token does not go to another host
    expect(codeloadAuthorization).toEqual([null]);
  });

  it("reads what git archive writes: pax headers, a long path, a symlink, a submodule folder, attributes applied", async () => {
    // `git archive --prefix=octo-org-hello-world-e790282/ HEAD | gzip -n` of a commit whose tree (git ls-tree -r) is:
    const tree: [path: string, mode: string, sha: string][] = [
      [".gitattributes", "100644", "40c4cc3cf6a11c3e324fc56a980f1290a4f56756"],
      ["README.md", "100644", "29658341f39210201ff7f72a4be83937cf2288c5"],
      ["logo.png", "100644", "45a21f14508d7b08cb5cbeb662de2364b6f90584"],
      ["readme-link", "120000", "42061c01a1c70097d1e4579f29a5adf40abdec95"],
      ["run.sh", "100755", "4163036efa65bd4a469e752267498f01ea36a55c"],
      // export-ignore
      ["secret/key.txt", "100644", "8d865be6477ac25c5a8b35c1a3f45c0cc3f452da"],
      [`src/deeply/nested/${"a".repeat(110)}.ts`, "100644", "4912d2e44ec2631a56e2cdc463cf353ddbf98c2c"],
      ["vendor/lib", "160000", "1111111111111111111111111111111111111111"],
      // export-subst
      ["version.txt", "100644", "f15fb1fe21b7a051b10a2422c5ead7c726c91ba7"],
    ];
    github
      .api()
      .get(TARBALL)
      .reply(200, readFileSync(new URL("../fixtures/github/tarball.git-archive.tar.gz", import.meta.url)));
    const wanted = new Map(tree.map(([path, mode, sha]) => [path, { sha, mode }]));

    const { batches, result } = await drain(archive({ wanted }));

    expect(batches).toEqual([
      [
        text("version.txt export-subst\nsecret export-ignore\n"),
        text("# Hello World\n"),
        binary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])),
        text("README.md"),
        text("#!/bin/sh\necho hi\n"),
        text("export const long = true;\n"),
      ],
    ]);
    expect(result).toEqual({
      missing: [
        "8d865be6477ac25c5a8b35c1a3f45c0cc3f452da",
        "1111111111111111111111111111111111111111",
        "f15fb1fe21b7a051b10a2422c5ead7c726c91ba7",
      ],
    });
  });

  it("hashes a file over maxFileSizeBytes as it streams past and yields it as too_large", async () => {
    const big = Buffer.alloc(5 * MB, "a");
    const bigLie = Buffer.alloc(2 * MB, "b");
    github
      .api()
      .get(TARBALL)
      .reply(
        200,
        await tarball([
          { path: "big.txt", content: big },
          { path: "lfs.bin", content: bigLie },
          { path: "small.txt", content: "small\n" },
        ]),
      );
    const wanted = wantedOf({ "big.txt": big, "small.txt": "small\n" });
    // the tree has a Git LFS pointer here; the archive has the smudged content
    wanted.set("lfs.bin", { sha: blobSha("version https://git-lfs.github.com/spec/v1\n"), mode: "100644" });

    const { batches, result } = await drain(archive({ wanted, maxFileSizeBytes: MB }));

    expect(batches).toEqual([
      [
        { sha: blobSha(big), size: 5 * MB, isBinary: false, content: null, omitted: "too_large" },
        text("small\n"),
      ],
    ]);
    expect(result).toEqual({ missing: [wanted.get("lfs.bin")?.sha] });
  });

  it("yields each SHA once, skips content that does not hash to the wanted SHA, and reports what it never found", async () => {
    const substituted = "version: $Format:%H$\n";
    github
      .api()
      .get(TARBALL)
      .reply(
        200,
        await tarball([
          { path: "a/same.txt", content: "same\n" },
          { path: "b/same.txt", content: "same\n" },
          // export-subst rewrote the placeholder
          { path: "version.txt", content: `version: ${COMMIT}\n` },
          // a symlink whose target differs from the tree's blob
          { path: "link", symlink: "elsewhere" },
        ]),
      );
    const wanted = wantedOf({
      "a/same.txt": "same\n",
      "b/same.txt": "same\n",
      "version.txt": substituted,
      // left out by export-ignore
      "secret/ignored.txt": "ignored\n",
    });
    wanted.set("link", { sha: blobSha("target"), mode: "120000" });
    wanted.set("vendor/lib", { sha: "f".repeat(40), mode: "160000" });

    const { batches, result } = await drain(archive({ wanted }));

    expect(batches).toEqual([[text("same\n")]]);
    expect(result).toEqual({
      missing: [blobSha(substituted), blobSha("ignored\n"), blobSha("target"), "f".repeat(40)],
    });
  });

  it("yields batches of at most batchCount blobs", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 7 }, (_, index) => [`f${index}.txt`, `file ${index}\n`]),
    );
    github
      .api()
      .get(TARBALL)
      .reply(200, await tarball(Object.entries(files).map(([path, content]) => ({ path, content }))));

    const { batches } = await drain(archive({ wanted: wantedOf(files), batchCount: 3 }));

    expect(batches.map((batch) => batch.map((blob) => blob.content))).toEqual([
      ["file 0\n", "file 1\n", "file 2\n"],
      ["file 3\n", "file 4\n", "file 5\n"],
      ["file 6\n"],
    ]);
  });

  it("yields batches of at most batchBytes of text, a larger file alone, binary counting nothing", async () => {
    const files = {
      a: "aaa\n",
      b: "bbb\n",
      nul: Buffer.alloc(100),
      c: "ccc\n",
      big: "0123456789ab\n",
      d: "d\n",
    };
    github
      .api()
      .get(TARBALL)
      .reply(200, await tarball(Object.entries(files).map(([path, content]) => ({ path, content }))));

    const { batches } = await drain(archive({ wanted: wantedOf(files), batchBytes: 10 }));

    expect(batches).toEqual([
      [text("aaa\n"), text("bbb\n"), binary(files.nul)],
      [text("ccc\n")],
      [text("0123456789ab\n")],
      [text("d\n")],
    ]);
  });

  it("fails with GITHUB_INVALID_RESPONSE on a body that is not gzip, a truncated one, and a gzip that is not tar", async () => {
    const body = await tarball([{ path: "a.txt", content: "a\n".repeat(1000) }]);
    const api = github.api();
    api.get(TARBALL).reply(200, Buffer.from(`<html>${"Service unavailable ".repeat(10_000)}</html>`));
    api.get(TARBALL).reply(200, body.subarray(0, body.length - 20));
    api
      .get(TARBALL)
      .reply(
        200,
        gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, index) => blobSha(`${index}`)).join(""))),
      );
    const wanted = wantedOf({ "a.txt": "a\n".repeat(1000) });
    const { client, bodies } = servedInChunks(testOctokit(), 64);

    const failures = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      failures.push(await drain(archive({ client, wanted })).catch((error: unknown) => error));
    }

    expect(failures).toEqual([
      expect.objectContaining({
        code: "GITHUB_INVALID_RESPONSE",
        message: expect.stringContaining("incorrect header check"),
      }),
      expect.objectContaining({
        code: "GITHUB_INVALID_RESPONSE",
        message: expect.stringContaining("unexpected end of file"),
      }),
      expect.objectContaining({
        code: "GITHUB_INVALID_RESPONSE",
        message: expect.stringContaining("Invalid tar header"),
      }),
    ]);
    // a failure in the middle of the download cancels the rest of it
    expect(bodies.map((served) => served.cancelled)).toEqual([true, false, true]);
  });

  it("maps a 404 to COMMIT_NOT_FOUND and refuses a ref that is not a commit SHA without a request", async () => {
    github.api().get(TARBALL).reply(404, { message: "Not Found" });

    await expect(drain(archive({ wanted: new Map() }))).rejects.toMatchObject({
      code: "COMMIT_NOT_FOUND",
      message: expect.stringContaining(`archive of commit ${COMMIT} in octo-org/hello-world`),
    });
    await expect(drain(archive({ wanted: new Map(), ref: "main" }))).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
  });

  it("reports codeload's refusal of the redirected download: a 5xx to retry, anything else as invalid", async () => {
    for (const [status, code, retryable] of [
      [503, "GITHUB_UNAVAILABLE", true],
      [403, "GITHUB_INVALID_RESPONSE", false],
    ] as const) {
      github
        .api()
        .get(TARBALL)
        .reply(302, "", { location: `${CODELOAD}${CODELOAD_PATH}?token=AAAtoken` });
      github.api(CODELOAD).get(CODELOAD_PATH).query({ token: "AAAtoken" }).reply(status, "no");

      await expect(drain(archive({ wanted: new Map() }))).rejects.toMatchObject({
        code,
        retryable,
        message: expect.stringContaining(`answered ${status} for the archive of commit ${COMMIT}`),
      });
    }
  });

  it("stops reading and cancels the download when the caller stops after the first batch", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 3000 }, (_, index) => [`f${index}.txt`, `${blobSha(String(index))}\n`]),
    );
    github
      .api()
      .get(TARBALL)
      .reply(200, await tarball(Object.entries(files).map(([path, content]) => ({ path, content }))));
    const { client, bodies } = servedInChunks(testOctokit());
    const generator = archive({ client, wanted: wantedOf(files), batchCount: 100 });

    const first = await generator.next();
    const stopped = await generator.return({ missing: [] });

    expect(first.value).toHaveLength(100);
    expect(stopped).toEqual({ done: true, value: { missing: [] } });
    expect(bodies).toEqual([
      { totalBytes: expect.any(Number), pulledBytes: expect.any(Number), cancelled: true },
    ]);
    expect(bodies[0]?.pulledBytes).toBeLessThan((bodies[0]?.totalBytes ?? 0) / 2);
  });

  it("streams 20,000 files as 40 batches of 500 without holding them", async () => {
    const count = 20_000;
    const entries = Array.from({ length: count }, (_, index) => ({
      path: `dir${index % 100}/file${index}.txt`,
      content: `file ${index}\n`,
    }));
    const wanted = new Map(
      entries.map((entry) => [entry.path, { sha: blobSha(entry.content), mode: "100644" }]),
    );
    github
      .api()
      .get(TARBALL)
      .reply(200, await tarball(entries));
    const { client, bodies } = servedInChunks(testOctokit());

    let batches = 0;
    let blobs = 0;
    const generator = archive({ client, wanted, batchCount: 500 });
    let step = await generator.next();
    const pulledForFirstBatch = bodies[0]?.pulledBytes ?? 0;
    while (!step.done) {
      batches += 1;
      blobs += step.value.length;
      step = await generator.next();
    }

    expect({ batches, blobs, missing: step.value.missing }).toEqual({
      batches: 40,
      blobs: count,
      missing: [],
    });
    // the first batch came while most of the archive was still on the wire
    expect(pulledForFirstBatch).toBeLessThan((bodies[0]?.totalBytes ?? 0) / 4);
  });
});
