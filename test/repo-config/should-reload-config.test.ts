import { describe, expect, it } from "@jest/globals";
import { type ConfigPush, shouldReloadConfig } from "../../src/repo-config/should-reload-config.js";

const loaded = { configLoadedAt: new Date("2026-11-25T10:00:00Z"), defaultBranch: "main" };
const push = (changes: Partial<ConfigPush> = {}): ConfigPush => ({
  branch: "main",
  created: false,
  forced: false,
  deleted: false,
  commits: [{ added: ["src/a.ts"], modified: ["README.md"], removed: [] }],
  ...changes,
});

describe("shouldReloadConfig", () => {
  it("reads a config never read", () => {
    expect(shouldReloadConfig({ ...loaded, configLoadedAt: null }, push({ branch: "dev" }))).toBe(true);
  });

  it("uses the stored config for a push that does not touch the file", () => {
    expect(shouldReloadConfig(loaded, push())).toBe(false);
  });

  it("re-reads when a commit of the default branch adds, changes or removes the file", () => {
    for (const key of ["added", "modified", "removed"] as const) {
      const commits = [{ added: [], modified: [], removed: [], [key]: [".github/project-sync.yml"] }];
      expect(shouldReloadConfig(loaded, push({ commits }))).toBe(true);
    }
  });

  it("ignores the file on other branches (the config is read from the default branch)", () => {
    const commits = [{ modified: [".github/project-sync.yml"] }];

    expect(shouldReloadConfig(loaded, push({ branch: "dev", commits }))).toBe(false);
    expect(shouldReloadConfig(loaded, push({ branch: "dev", forced: true }))).toBe(false);
  });

  it("re-reads after a force push, a re-created default branch or a commit list GitHub may have cut", () => {
    expect(shouldReloadConfig(loaded, push({ forced: true }))).toBe(true);
    expect(shouldReloadConfig(loaded, push({ created: true }))).toBe(true);
    expect(
      shouldReloadConfig(
        loaded,
        push({ commits: Array.from({ length: 2048 }, () => ({ modified: ["a"] })) }),
      ),
    ).toBe(true);
  });

  it("re-reads when one commit lists 3,000 paths (GitHub cuts a commit's lists there)", () => {
    const paths = (n: number) => Array.from({ length: n }, (_, index) => `src/f${index}.ts`);

    expect(
      shouldReloadConfig(
        loaded,
        push({ commits: [{ added: paths(1000), modified: paths(1500), removed: paths(500) }] }),
      ),
    ).toBe(true);
    expect(shouldReloadConfig(loaded, push({ commits: [{ modified: paths(2999) }] }))).toBe(false);
  });

  it("does not read for a deletion", () => {
    expect(shouldReloadConfig(loaded, push({ deleted: true, commits: [] }))).toBe(false);
  });
});
