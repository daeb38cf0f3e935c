import { describe, expect, it } from "@jest/globals";
import { parseRepoConfig } from "../../src/repo-config/parse-repo-config.js";

describe("parseRepoConfig", () => {
  it("normalises globs (sorted, de-duplicated, empty exclude dropped) so equal meanings get equal digests", () => {
    const a = parseRepoConfig({
      branches: ["release/*", "main"],
      paths: { include: ["src/**", "docs/**", "src/**"], exclude: [] },
      maxFileSizeBytes: 2048,
    });
    const b = parseRepoConfig({
      maxFileSizeBytes: 2048,
      paths: { include: ["docs/**", "src/**"] },
      branches: ["main", "release/*"],
    });

    expect(a).toEqual({
      config: {
        branches: ["main", "release/*"],
        paths: { include: ["docs/**", "src/**"] },
        maxFileSizeBytes: 2048,
      },
      error: null,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(b.digest).toBe(a.digest);
    expect(parseRepoConfig({ maxFileSizeBytes: 4096 }).digest).not.toBe(a.digest);
  });

  it("gives no digest for the defaults: no file and an empty file sync the same", () => {
    expect(parseRepoConfig(null)).toEqual({ config: null, error: null, digest: null });
    expect(parseRepoConfig({})).toEqual({ config: {}, error: null, digest: null });
    expect(parseRepoConfig({ paths: { exclude: [] } })).toEqual({ config: {}, error: null, digest: null });
  });

  it("keeps an empty branch list (no branch is synced) as a real setting", () => {
    const state = parseRepoConfig({ branches: [] });

    expect(state.config).toEqual({ branches: [] });
    expect(state.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("names the key path of every problem", () => {
    expect(parseRepoConfig({ paths: { include: [42] } }).error).toBe(
      ".github/project-sync.yml: paths.include.0: Invalid input: expected string, received number",
    );
    expect(parseRepoConfig({ branches: "main", maxFileSizeBytes: 1.5 }).error).toBe(
      ".github/project-sync.yml: branches: Invalid input: expected array, received string; maxFileSizeBytes: expected a whole number of bytes",
    );
  });

  it("refuses unknown keys, so a typo does not silently sync everything", () => {
    expect(parseRepoConfig({ paths: { inlcude: ["src/**"] } })).toEqual({
      config: null,
      error: '.github/project-sync.yml: paths: Unrecognized key: "inlcude"',
      digest: null,
    });
  });

  it("bounds the size cap and refuses an empty include list", () => {
    expect(parseRepoConfig({ maxFileSizeBytes: 2 ** 40 }).error).toBe(
      ".github/project-sync.yml: maxFileSizeBytes: at most 104857600 (100 MiB)",
    );
    expect(parseRepoConfig({ maxFileSizeBytes: 0 }).error).toMatch(
      /^.github\/project-sync.yml: maxFileSizeBytes: /,
    );
    expect(parseRepoConfig({ paths: { include: [] } }).error).toBe(
      ".github/project-sync.yml: paths.include: list at least one glob, or leave `include` out to include every path",
    );
  });

  it("refuses a list or a scalar where the settings mapping belongs", () => {
    expect(parseRepoConfig(["main"]).error).toBe(
      ".github/project-sync.yml: Invalid input: expected object, received array",
    );
  });
});
