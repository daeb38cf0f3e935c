/**
 * Times the simulator's heavy paths on a generated repository, for the numbers in the simulator's documentation:
 *
 *   npx tsx sim/measure-simulator.ts [--files 100000] [--seed 1] [--tarball]
 *
 * generate, commitChanges, recursive tree (cold and cached), GraphQL batches of 100 blobs, and with --tarball the
 * streamed tarball, prepareTarball and a download of the prepared file.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildBlobQuery } from "../src/github/build-blob-query.js";
import { createGitHubSimulator } from "./create-github-simulator.js";
import { commitChanges, generateRepository } from "./generate-repository.js";
import { listTree } from "./git/list-tree.js";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    tarball: { type: "boolean", default: false },
  },
});

const timed = async <T>(label: string, task: () => Promise<T>, detail: (result: T) => string = () => "") => {
  const started = performance.now();
  const result = await task();
  process.stdout.write(
    `${label.padEnd(52)} ${String(Math.round(performance.now() - started)).padStart(7)} ms  ${detail(result)}\n`,
  );
  return result;
};

const dir = await mkdtemp(join(tmpdir(), "github-simulator-measure-"));
const sim = createGitHubSimulator();
try {
  const files = Number(values.files);
  const repo = await timed(`generateRepository ${files} files`, () =>
    generateRepository({ dir: join(dir, "big.git"), files, seed: Number(values.seed) }),
  );
  await timed("commitChanges 100 modify/20 add/20 remove/10 rename", () =>
    commitChanges({
      gitDir: repo.gitDir,
      parent: repo.headSha,
      changes: { modify: 100, add: 20, remove: 20, rename: 10 },
      seed: 2,
    }),
  );
  await sim.addRepository({ owner: "octo", name: "big", gitDir: repo.gitDir });
  const { apiUrl, graphqlUrl, url } = await sim.start();

  const download = async (target: string, init?: RequestInit) => {
    const response = await fetch(target, init);
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
      bytes += chunk.byteLength;
    return { status: response.status, bytes };
  };
  const show = (result: { status: number; bytes: number }) =>
    `${result.status}, ${(result.bytes / 1e6).toFixed(1)} MB`;
  const treeUrl = `${apiUrl}/repos/octo/big/git/trees/${repo.headSha}?recursive=1`;
  await timed("recursive tree (cold)", () => download(treeUrl), show);
  await timed("recursive tree (cached)", () => download(treeUrl), show);

  const blobs = (await listTree({ gitDir: repo.gitDir, treeish: repo.headSha, recursive: true })).filter(
    (entry) => entry.type === "blob",
  );
  for (let batch = 0; batch < 3; batch += 1) {
    const shas = blobs.slice(batch * 100, batch * 100 + 100).map((blob) => blob.sha);
    const body = JSON.stringify({ query: buildBlobQuery(shas), variables: { owner: "octo", name: "big" } });
    await timed(
      `GraphQL 100 blobs (batch ${batch + 1})`,
      () => download(graphqlUrl, { method: "POST", body }),
      show,
    );
  }

  if (values.tarball) {
    const codeload = `${url}/_codeload/octo/big/legacy.tar.gz/${repo.headSha}`;
    await timed("tarball streamed (git archive | gzip -1)", () => download(codeload), show);
    await timed(
      "prepareTarball",
      () => sim.prepareTarball("octo", "big", repo.headSha),
      (result) => `${(result.bytes / 1e6).toFixed(1)} MB`,
    );
    await timed("tarball from the prepared file", () => download(codeload), show);
  }
} finally {
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
}
