import { describe, expect, it } from "@jest/globals";
import { isBranchTracked } from "../../src/repo-config/is-branch-tracked.js";
import { parseRepoConfig } from "../../src/repo-config/parse-repo-config.js";
import { runOptionsFor } from "../../src/repo-config/run-options-for.js";

/** The config columns of a Repository row, as refreshRepoConfig stores them. */
function stored(raw: unknown) {
  const state = parseRepoConfig(raw);
  return { config: state.config, configError: state.error, configDigest: state.digest };
}

describe("runOptionsFor", () => {
  it("applies nothing without a config", () => {
    expect(runOptionsFor(stored(null))).toEqual({ configDigest: null });
  });

  it("filters paths by include and exclude globs, dot files included", () => {
    const options = runOptionsFor(
      stored({ paths: { include: ["src/**", ".github/**"], exclude: ["**/*.snap", "src/vendor/**"] } }),
    );
    const filter = options.pathFilter;

    expect(filter).toBeDefined();
    expect(
      [
        "src/a.ts",
        "src/.env.example",
        ".github/workflows/ci.yml",
        "src/x.snap",
        "src/vendor/lib.js",
        "README.md",
      ].filter((path) => filter?.(path)),
    ).toEqual(["src/a.ts", "src/.env.example", ".github/workflows/ci.yml"]);
  });

  it("excludes without an include list", () => {
    const filter = runOptionsFor(stored({ paths: { exclude: ["dist/**"] } })).pathFilter;

    expect(["dist/a.js", "src/a.ts"].map((path) => filter?.(path))).toEqual([false, true]);
  });

  it("passes the size cap and the digest", () => {
    const repository = stored({ maxFileSizeBytes: 4096 });

    expect(runOptionsFor(repository)).toEqual({
      maxFileSizeBytes: 4096,
      configDigest: repository.configDigest,
    });
    expect(repository.configDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("fails with CONFIG_INVALID and the validation message when the config is invalid", () => {
    expect(() => runOptionsFor(stored({ paths: { include: [1] } }))).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: ".github/project-sync.yml: paths.include.0: Invalid input: expected string, received number",
      }),
    );
  });
});

describe("isBranchTracked", () => {
  it("tracks every branch without `branches`", () => {
    expect(isBranchTracked(stored(null), "anything/at-all")).toBe(true);
    expect(isBranchTracked(stored({ maxFileSizeBytes: 10 }), "dev")).toBe(true);
  });

  it("matches branch globs", () => {
    const repository = stored({ branches: ["main", "release/*"] });

    expect(
      ["main", "release/1.2", "release/1.2/hotfix", "dev"].map((b) => isBranchTracked(repository, b)),
    ).toEqual([true, true, false, false]);
  });

  it("tracks no branch with an empty list", () => {
    expect(isBranchTracked(stored({ branches: [] }), "main")).toBe(false);
  });

  it("tracks every branch while the config is invalid, so the push's check run reports the error", () => {
    expect(isBranchTracked(stored({ branches: "main" }), "dev")).toBe(true);
  });
});
