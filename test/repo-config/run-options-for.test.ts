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

describe("globs a repository's config may hold", () => {
  // picomatch turned these into backtracking regular expressions: one push of a branch (or one path) of forty `a`s
  // blocked the process for hours, every other repository's webhooks and syncs with it
  const HOSTILE = "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*[b]";
  const SUBJECT = "a".repeat(50);

  // Matching runs synchronously: a matcher that backtracks holds the thread for minutes, and the timer below then
  // fires after Jest's own timeout, which fails the test.
  const afterTimeouts = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("decides a hostile branch glob at once", async () => {
    const tracked = isBranchTracked(stored({ branches: [HOSTILE] }), SUBJECT);
    await afterTimeouts();

    expect(tracked).toBe(false);
  });

  it("filters paths against a hostile path glob at once", async () => {
    const filter = runOptionsFor(
      stored({ paths: { include: ["src/**"], exclude: [`**/${HOSTILE}`] } }),
    ).pathFilter;

    const kept = [`src/${SUBJECT}`, `docs/${SUBJECT}`].map((path) => filter?.(path));
    await afterTimeouts();

    expect(kept).toEqual([true, false]);
  });

  it("refuses a glob it would have to read differently from picomatch, naming it", () => {
    expect(parseRepoConfig({ branches: ["main", "@(dev|next)"] }).error).toBe(
      ".github/project-sync.yml: branches.1: the glob `@(dev|next)` cannot be used: `(` is not supported (no regular-expression groups or extglobs): write `\\(` for the character itself",
    );
  });

  it("refuses lists whose braces expand past the cap", () => {
    const globs = Array.from({ length: 200 }, (_, index) => `${"x".repeat(60)}${index}/{a,b,c,d}`);

    expect(parseRepoConfig({ paths: { exclude: globs } }).error).toBe(
      ".github/project-sync.yml: paths.exclude: the globs come to more than 20000 characters once their braces are expanded",
    );
  });
});
