import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "@jest/globals";
import {
  createGitHubSimulator,
  type GitHubSimulator,
  type GitHubSimulatorOptions,
  type SimulatorAddress,
} from "../../sim/create-github-simulator.js";
import { type GeneratedRepository, generateRepository } from "../../sim/generate-repository.js";

/** What useSimulator hands each test: the running simulator and the generated repository it serves as octo/big. */
export type SimulatorFixture = {
  sim: GitHubSimulator;
  address: SimulatorAddress;
  repo: GeneratedRepository;
  /** a temporary folder removed after the file's tests */
  dir: string;
  /** `git --git-dir <repo> …` output as text, to check the simulator against git itself */
  git(...args: string[]): string;
  /** the same as bytes */
  gitBytes(...args: string[]): Buffer;
  /** many blobs' bytes from one `git cat-file --batch` call */
  blobs(shas: readonly string[]): Map<string, Buffer>;
};

export const OWNER = "octo";
export const NAME = "big";

/**
 * Call at the top of a describe: generates a repository of `files` files once for the file's tests, serves it as
 * octo/big from a started simulator, and removes everything afterwards.
 */
export function useSimulator(options: { files?: number; seed?: number; sim?: GitHubSimulatorOptions } = {}) {
  const fixture = {} as SimulatorFixture;
  beforeAll(async () => {
    fixture.dir = await mkdtemp(join(tmpdir(), "github-simulator-test-"));
    fixture.repo = await generateRepository({
      dir: join(fixture.dir, "big.git"),
      files: options.files ?? 300,
      seed: options.seed ?? 7,
    });
    fixture.sim = createGitHubSimulator(options.sim);
    await fixture.sim.addRepository({ owner: OWNER, name: NAME, gitDir: fixture.repo.gitDir, id: 4242 });
    fixture.address = await fixture.sim.start();
    fixture.gitBytes = (...args) =>
      execFileSync("git", ["--git-dir", fixture.repo.gitDir, ...args], { maxBuffer: 1024 * 1024 * 1024 });
    fixture.git = (...args) => fixture.gitBytes(...args).toString("utf8");
    fixture.blobs = (shas) => {
      const output = execFileSync("git", ["--git-dir", fixture.repo.gitDir, "cat-file", "--batch"], {
        input: `${shas.join("\n")}\n`,
        maxBuffer: 1024 * 1024 * 1024,
      });
      const blobs = new Map<string, Buffer>();
      let offset = 0;
      while (offset < output.length) {
        const newline = output.indexOf(10, offset);
        const [sha = "", , size = "0"] = output.toString("latin1", offset, newline).split(" ");
        const start = newline + 1;
        blobs.set(sha, output.subarray(start, start + Number(size)));
        offset = start + Number(size) + 1;
      }
      return blobs;
    };
  });
  afterAll(async () => {
    await fixture.sim?.stop();
    if (fixture.dir) await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

/** GET (or any method) against the REST API with JSON parsed; `raw` keeps the body as bytes. */
export async function api(
  fixture: SimulatorFixture,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; json: unknown; raw: Buffer }> {
  const response = await fetch(`${fixture.address.apiUrl}${path}`, {
    ...init,
    headers: {
      authorization: "token ghs_test",
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
  });
  const raw = Buffer.from(await response.arrayBuffer());
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  return {
    status: response.status,
    headers: response.headers,
    json: isJson ? JSON.parse(raw.toString("utf8")) : undefined,
    raw,
  };
}

/** `git ls-tree [-r -t] -l -z`, parsed here independently of the simulator's parser. */
export function gitTree(fixture: SimulatorFixture, treeish: string, recursive = true) {
  const output = fixture.git("ls-tree", ...(recursive ? ["-r", "-t"] : []), "-l", "-z", treeish);
  return output
    .split("\0")
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf("\t");
      const [mode = "", type = "", sha = "", size = ""] = record.slice(0, tab).split(/ +/);
      return {
        path: record.slice(tab + 1),
        mode,
        type,
        sha,
        ...(type === "blob" ? { size: Number(size) } : {}),
      };
    });
}
