import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "@jest/globals";
import { extract } from "tar-stream";
import { api, gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "./use-simulator.js";

type TarEntry = { name: string; type: string; mode: number; linkname: string | null; content: Buffer };

describe("GitHub simulator tarballs", () => {
  const fixture = useSimulator({ files: 150 });

  it("redirects to a codeload URL for the commit, whose archive holds every file under owner-repo-sha7/", async () => {
    const { headSha } = fixture.repo;

    const redirect = await fetch(`${fixture.address.apiUrl}/repos/${OWNER}/${NAME}/tarball/main`, {
      redirect: "manual",
    });
    const location = redirect.headers.get("location") ?? "";
    const download = await fetch(location);
    const gzipped = Buffer.from(await download.arrayBuffer());
    const entries = await untar(gzipped);

    expect(redirect.status).toBe(302);
    expect(location).toBe(`${fixture.address.url}/_codeload/${OWNER}/${NAME}/legacy.tar.gz/${headSha}`);
    expect(download.headers.get("content-type")).toBe("application/x-gzip");
    const prefix = `${OWNER}-${NAME}-${headSha.slice(0, 7)}/`;
    expect(entries.every((entry) => entry.name.startsWith(prefix))).toBe(true);
    const files = entries
      .filter((entry) => entry.type !== "directory")
      .map((entry) => entry.name.slice(prefix.length));
    expect(files.sort()).toEqual([...fixture.repo.paths].sort());
    expectEntriesMatchGit(fixture, entries, prefix);
  });

  it("starts the archive with a pax global header holding the commit id, as GitHub's does", async () => {
    const { headSha } = fixture.repo;

    const download = await fetch(
      `${fixture.address.url}/_codeload/${OWNER}/${NAME}/legacy.tar.gz/${headSha}`,
    );
    const tar = gunzipSync(Buffer.from(await download.arrayBuffer()));

    expect(String.fromCharCode(tar[156] as number)).toBe("g");
    expect(tar.subarray(512, 1024).toString("latin1")).toContain(`comment=${headSha}\n`);
  });

  it("serves a prepared tarball from disk with the same bytes and a content length, and counts its bytes", async () => {
    const { headSha } = fixture.repo;
    const url = `${fixture.address.url}/_codeload/${OWNER}/${NAME}/legacy.tar.gz/${headSha}`;
    const streamed = Buffer.from(await (await fetch(url)).arrayBuffer());

    const prepared = await fixture.sim.prepareTarball(OWNER, NAME, "main");
    fixture.sim.resetStats();
    const response = await fetch(url);
    const cached = Buffer.from(await response.arrayBuffer());

    expect(prepared).toEqual({ sha: headSha, bytes: streamed.length });
    expect(response.headers.get("content-length")).toBe(String(streamed.length));
    // Buffer.equals: toEqual compares a megabyte element by element, which takes seconds.
    expect(cached.equals(streamed)).toBe(true);
    expect(fixture.sim.stats().bytes).toEqual({
      "GET /_codeload/{owner}/{repo}/legacy.tar.gz/{ref}": streamed.length,
    });
  });

  it("404s a ref the repository does not have", async () => {
    const response = await api(fixture, `/repos/${OWNER}/${NAME}/tarball/no-such-branch`, {
      redirect: "manual",
    });

    expect(response.status).toBe(404);
  });
});

async function untar(gzipped: Buffer): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const unpack = extract();
  unpack.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk) => chunks.push(chunk as Buffer));
    stream.on("end", () => {
      entries.push({
        name: header.name,
        type: header.type ?? "file",
        mode: header.mode ?? 0,
        linkname: header.linkname ?? null,
        content: Buffer.concat(chunks),
      });
      next();
    });
  });
  await pipeline(Readable.from([gunzipSync(gzipped)]), unpack);
  return entries;
}

/** Files have git's bytes, symlinks git's target, executables the x bit. */
function expectEntriesMatchGit(fixture: SimulatorFixture, entries: TarEntry[], prefix: string): void {
  const byPath = new Map(entries.map((entry) => [entry.name.slice(prefix.length), entry]));
  const blobs = gitTree(fixture, fixture.repo.headSha).filter((entry) => entry.type === "blob");
  const kinds = { file: 0, symlink: 0, executable: 0 };
  const bytesOf = fixture.blobs(blobs.map((blob) => blob.sha));
  for (const blob of blobs) {
    const entry = byPath.get(blob.path);
    const bytes = bytesOf.get(blob.sha) as Buffer;
    if (blob.mode === "120000") {
      expect({ path: blob.path, type: entry?.type, linkname: entry?.linkname }).toEqual({
        path: blob.path,
        type: "symlink",
        linkname: bytes.toString("utf8"),
      });
      kinds.symlink += 1;
    } else {
      expect({ path: blob.path, same: entry?.content.equals(bytes) }).toEqual({
        path: blob.path,
        same: true,
      });
      if (blob.mode === "100755") {
        expect((entry?.mode ?? 0) & 0o111).not.toBe(0);
        kinds.executable += 1;
      }
      kinds.file += 1;
    }
  }
  expect(kinds.symlink).toBeGreaterThan(0);
  expect(kinds.executable).toBeGreaterThan(0);
}
