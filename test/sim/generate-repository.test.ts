import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createGitHubSimulator } from "../../sim/create-github-simulator.js";
import {
  commitChanges,
  type GeneratedRepository,
  generateRepository,
} from "../../sim/generate-repository.js";

describe("generateRepository and commitChanges", () => {
  let dir: string;
  let repo: GeneratedRepository;
  const git = (...args: string[]) =>
    execFileSync("git", ["--git-dir", repo.gitDir, ...args], {
      maxBuffer: 256 * 1024 * 1024,
    }).toString("utf8");
  const files = (treeish: string) =>
    git("ls-tree", "-r", "-l", "-z", treeish)
      .split("\0")
      .filter(Boolean)
      .map((record) => {
        const tab = record.indexOf("\t");
        const [mode = "", , sha = "", size = ""] = record.slice(0, tab).split(/ +/);
        return { path: record.slice(tab + 1), mode, size: Number(size), sha };
      });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "generate-repository-test-"));
    repo = await generateRepository({ dir: join(dir, "a.git"), files: 400, seed: 5 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a valid repository (git fsck --strict) whose one commit holds exactly the reported paths", () => {
    git("fsck", "--strict", "--full", "--no-dangling");

    expect(git("rev-parse", "refs/heads/main").trim()).toBe(repo.headSha);
    expect(git("rev-parse", "main^{tree}").trim()).toBe(repo.treeSha);
    expect(git("rev-list", "--count", "main").trim()).toBe("1");
    expect(
      files("main")
        .map((file) => file.path)
        .sort(),
    ).toEqual([...repo.paths].sort());
    expect(repo.paths).toHaveLength(400);
  });

  it("is deterministic: the same seed gives the same commit, another seed another", async () => {
    const same = await generateRepository({ dir: join(dir, "b.git"), files: 400, seed: 5 });
    const other = await generateRepository({ dir: join(dir, "c.git"), files: 400, seed: 6 });

    expect(same.headSha).toBe(repo.headSha);
    expect(other.headSha).not.toBe(repo.headSha);
  });

  it("mixes file kinds: text, large text over 512,000 bytes, binary, empty, symlinks, executables, odd names", () => {
    const all = files("main");
    const blobs = execFileSync("git", ["--git-dir", repo.gitDir, "cat-file", "--batch"], {
      input: `${all.map((file) => file.sha).join("\n")}\n`,
      maxBuffer: 256 * 1024 * 1024,
    });
    const binaryShas = new Set<string>();
    for (let offset = 0; offset < blobs.length; ) {
      const newline = blobs.indexOf(10, offset);
      const [sha = "", , size = "0"] = blobs.toString("latin1", offset, newline).split(" ");
      if (blobs.subarray(newline + 1, newline + 1 + Math.min(Number(size), 8000)).includes(0))
        binaryShas.add(sha);
      offset = newline + 1 + Number(size) + 1;
    }
    const depth = (path: string) => path.split("/").length - 1;

    const text = all.filter((file) => file.mode === "100644" && !binaryShas.has(file.sha) && file.size > 0);
    expect(
      text.filter((file) => file.size >= 200 && file.size <= 20_100).length / all.length,
    ).toBeGreaterThan(0.8);
    expect(text.some((file) => file.size > 512_000)).toBe(true);
    expect(text.some((file) => file.size >= 100_000 && file.size <= 512_000)).toBe(true);
    expect(binaryShas.size).toBeGreaterThan(0);
    expect(all.some((file) => file.size === 0)).toBe(true);
    expect(all.some((file) => file.mode === "120000")).toBe(true);
    expect(all.some((file) => file.mode === "100755")).toBe(true);
    expect(all.some((file) => file.path.includes(" "))).toBe(true);
    expect(all.some((file) => /[^\u0020-\u007e]/.test(file.path))).toBe(true);
    expect(new Set(all.map((file) => file.sha)).size).toBeLessThan(all.length);
    expect(Math.max(...all.map((file) => depth(file.path)))).toBeLessThanOrEqual(6);
    expect(Math.max(...all.map((file) => depth(file.path)))).toBeGreaterThanOrEqual(1);
  });

  it("commits random changes: the requested numbers of modified, added, removed and renamed files", async () => {
    const sha = await commitChanges({
      gitDir: repo.gitDir,
      parent: repo.headSha,
      changes: { modify: 5, add: 3, remove: 2, rename: 4 },
      seed: 9,
    });
    const again = await commitChanges({
      gitDir: repo.gitDir,
      parent: repo.headSha,
      changes: { modify: 5, add: 3, remove: 2, rename: 4 },
      seed: 9,
    });

    const statuses = git("diff-tree", "-r", "-M", "--name-status", repo.headSha, sha)
      .trim()
      .split("\n")
      .map((line) => line.charAt(0));
    const count = (status: string) => statuses.filter((item) => item === status).length;
    expect({ M: count("M"), A: count("A"), D: count("D"), R: count("R") }).toEqual({
      M: 5,
      A: 3,
      D: 2,
      R: 4,
    });
    expect(git("rev-parse", `${sha}^`).trim()).toBe(repo.headSha);
    expect(again).toBe(sha);
    expect(git("for-each-ref", "refs/sim").trim()).toBe("");
  });

  it("commits explicit changes (text, bytes, modes, odd paths, deletions) and can set a branch", async () => {
    const [first = ""] = repo.paths;
    const sha = await commitChanges({
      gitDir: repo.gitDir,
      parent: repo.headSha,
      branch: "feature/explicit",
      changes: {
        "docs/new file.md": "# New\n",
        "bin/tool": { content: "#!/bin/sh\necho hi\n", mode: "100755" },
        "data/blob.bin": Buffer.from([0, 1, 2, 3]),
        "line\nbreak.txt": "newline in the name\n",
        [first]: null,
      },
    });

    const changed = files(sha);
    expect(changed.find((file) => file.path === "docs/new file.md")).toMatchObject({
      mode: "100644",
      size: 6,
    });
    expect(changed.find((file) => file.path === "bin/tool")).toMatchObject({ mode: "100755" });
    expect(changed.find((file) => file.path === "data/blob.bin")).toMatchObject({ size: 4 });
    expect(changed.some((file) => file.path === "line\nbreak.txt")).toBe(true);
    expect(changed.some((file) => file.path === first)).toBe(false);
    expect(git("rev-parse", "refs/heads/feature/explicit").trim()).toBe(sha);
  });

  it("replaces a folder by a file of the same name, and a file by a folder, whatever order the changes are in", async () => {
    const lsTree = (treeish: string) =>
      git("ls-tree", "-r", "-t", "--name-only", "-z", treeish).split("\0").filter(Boolean);
    const base = await commitChanges({
      gitDir: repo.gitDir,
      parent: repo.headSha,
      changes: { "docs/a.md": "a\n", "docs/sub/b.md": "b\n", notes: "a file\n", notes2: "another file\n" },
    });

    const swapped = await commitChanges({
      gitDir: repo.gitDir,
      parent: base,
      // notes2: the deletion written after the file under it, which must not delete the new folder.
      changes: { docs: "now a file\n", "notes/a.md": "# A\n", "notes2/b.md": "# B\n", notes2: null },
    });

    const before = lsTree(base);
    const after = lsTree(swapped);
    expect(before).toEqual(
      expect.arrayContaining(["docs", "docs/a.md", "docs/sub", "docs/sub/b.md", "notes", "notes2"]),
    );
    expect(after.filter((path) => /^(docs|notes2?)(\/|$)/.test(path))).toEqual([
      "docs",
      "notes",
      "notes/a.md",
      "notes2",
      "notes2/b.md",
    ]);
    expect(git("cat-file", "-t", `${swapped}:docs`).trim()).toBe("blob");
    expect(git("cat-file", "blob", `${swapped}:docs`)).toBe("now a file\n");
    expect(git("cat-file", "-t", `${swapped}:notes`).trim()).toBe("tree");
    expect(after.filter((path) => !/^(docs|notes2?)(\/|$)/.test(path))).toEqual(
      before.filter((path) => !/^(docs|notes2?)(\/|$)/.test(path)),
    );
    await expect(
      commitChanges({ gitDir: repo.gitDir, parent: base, changes: { docs: "file\n", "docs/c.md": "c\n" } }),
    ).rejects.toThrow('"docs" cannot be a file and also hold "docs/c.md"');
  });

  it("makes an unrelated commit (a force push) that keeps the files but shares no history", async () => {
    const orphan = await commitChanges({
      gitDir: repo.gitDir,
      parent: repo.headSha,
      changes: { "rewritten.txt": "history was rewritten\n" },
      orphan: true,
    });
    const sim = createGitHubSimulator();
    await sim.addRepository({ owner: "octo", name: "a", gitDir: repo.gitDir });
    await sim.reloadBranches("octo", "a");
    const { apiUrl } = await sim.start();

    const compare = await fetch(`${apiUrl}/repos/octo/a/compare/${repo.headSha}...${orphan}`);
    const body = await compare.json();
    await sim.stop();

    expect(git("rev-list", "--count", orphan).trim()).toBe("1");
    expect(files(orphan).length).toBe(repo.paths.length + 1);
    expect(compare.status).toBe(404);
    expect(body).toMatchObject({ message: `No common ancestor between ${repo.headSha} and ${orphan}.` });
  });
});
