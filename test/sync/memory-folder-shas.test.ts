import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { memoryFolderShas } from "../../src/sync/memory-folder-shas.js";

const gitDir = mkdtempSync(join(tmpdir(), "memory-folder-shas-"));
execFileSync("git", ["init", "--bare", "-q", gitDir]);
afterAll(() => rmSync(gitDir, { recursive: true, force: true }));

/** git's own SHA for a tree of these entries (`<mode> <type> <sha>\t<name>`), objects not needed. */
function mktree(lines: string[]): string {
  return execFileSync("git", ["--git-dir", gitDir, "mktree", "--missing"], { input: `${lines.join("\n")}\n` })
    .toString()
    .trim();
}

const sha = (n: number) => n.toString(16).padStart(40, "a");

describe("memoryFolderShas", () => {
  it("gives every folder the SHA git gives it: files, executables, symlinks, submodules, folders with no file of their own", () => {
    const memory = new Map([
      ["README.md", { mode: "100644", sha: sha(1) }],
      ["a/b/c/deep.txt", { mode: "100644", sha: sha(2) }],
      ["a/b/run.sh", { mode: "100755", sha: sha(3) }],
      ["a/link", { mode: "120000", sha: sha(4) }],
      ["a/vendor", { mode: "160000", sha: sha(5) }],
      ["a-b.txt", { mode: "100644", sha: sha(6) }],
    ]);

    const folders = memoryFolderShas(memory);

    const c = mktree([`100644 blob ${sha(2)}\tdeep.txt`]);
    const b = mktree([`040000 tree ${c}\tc`, `100755 blob ${sha(3)}\trun.sh`]);
    const a = mktree([
      `040000 tree ${b}\tb`,
      `120000 blob ${sha(4)}\tlink`,
      `160000 commit ${sha(5)}\tvendor`,
    ]);
    // "a-b.txt" sorts before the folder "a" in git's order ("a/"): the hash catches a wrong order
    const root = mktree([
      `100644 blob ${sha(1)}\tREADME.md`,
      `040000 tree ${a}\ta`,
      `100644 blob ${sha(6)}\ta-b.txt`,
    ]);
    expect(folders).toEqual(
      new Map([
        ["a/b/c/", { sha: c, entries: 1 }],
        ["a/b/", { sha: b, entries: 2 }],
        ["a/", { sha: a, entries: 3 }],
        ["", { sha: root, entries: 3 }],
      ]),
    );
  });

  it("gives an empty memory git's empty tree", () => {
    expect(memoryFolderShas(new Map())).toEqual(
      new Map([["", { sha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904", entries: 0 }]]),
    );
  });
});
