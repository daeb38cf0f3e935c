import { describe, expect, it } from "@jest/globals";
import picomatch from "picomatch";
import {
  compileGlobs,
  expandedGlobSize,
  globProblem,
  MAX_GLOB_ALTERNATIVES,
} from "../../src/glob/compile-globs.js";

/** What the app matched with before: picomatch, as configs are documented to mean. */
const picomatchGlobs = (globs: string[]) => picomatch(globs, { dot: true });

// A small deterministic generator, so a failure names a case that can be replayed.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe("compileGlobs", () => {
  it.each([
    ["main", "main", true],
    ["release/*", "release/1.2", true],
    ["release/*", "release/1.2/hotfix", false],
    ["src/**", "src/a/b.ts", true],
    ["src/**", "src", true],
    ["src/*/**", "src", false],
    ["**/*.snap", "x/y.snap", true],
    ["**/*.snap", "y.snap", true],
    ["docs/**/*.md", "docs/a.md", true],
    ["docs/**/*.md", "docs/x/y/a.md", true],
    ["*.{js,ts}", "a.ts", true],
    ["*", ".env", true],
    ["!main", "dev", true],
    ["!main", "main", false],
    ["feature/[a-c]?", "feature/b1", true],
    ["feature/[^a]*", "feature/abc", false],
    ["\\*", "*", true],
    ["./src/**", "src/a", true],
    ["**/*.md", "docs/<img src=x onerror=alert(1)>.md", true],
  ])("matches %s against %s as picomatch does: %s", (glob, subject, expected) => {
    expect([compileGlobs([glob])(subject), picomatchGlobs([glob])(subject)]).toEqual([expected, expected]);
  });

  it("agrees with picomatch on thousands of generated globs and paths", () => {
    const next = random(20261125);
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)] as T;
    const tokens = [
      "a",
      "b",
      ".",
      "*",
      "?",
      "[ab]",
      "[^a]",
      "[a-b]",
      "{a,b}",
      "{a,*}",
      "{a,{b,c}}",
      "\\*",
      "-",
    ];
    const segment = () => {
      const text = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
        pick(["a", "b", "c", ".", "-"]),
      ).join("");
      return text === "." || text === ".." ? `a${text}` : text;
    };
    const disagreements: string[] = [];
    let compared = 0;

    for (let round = 0; round < 20_000; round += 1) {
      const segments = Array.from({ length: 1 + Math.floor(next() * 3) }, () =>
        next() < 0.2 ? "**" : Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(tokens)).join(""),
      );
      const glob = `${next() < 0.1 ? "!" : ""}${segments.join("/")}`;
      if (globProblem(glob)) continue;
      const subject = Array.from({ length: 1 + Math.floor(next() * 3) }, segment).join("/");
      compared += 1;
      if (compileGlobs([glob])(subject) !== picomatchGlobs([glob])(subject)) {
        disagreements.push(`${glob} ${subject}`);
      }
    }

    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(15_000);
  });

  it("matches a list when any glob matches, a negated glob matching what it does not match", () => {
    const matches = compileGlobs(["src/**", "!**/*.ts"]);

    expect(["src/a.ts", "docs/a.md", "docs/a.ts"].map(matches)).toEqual([true, true, false]);
  });

  it("answers at once for globs that make picomatch backtrack for hours (a config anyone who can push may write)", () => {
    const hostile = [
      "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*[b]",
      "**/a*a*a*a*a*a*a*a*a*a*a*a*/**/[b]",
      "{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}*[b]",
    ];

    const matches = compileGlobs(hostile);

    expect(matches("a".repeat(60))).toBe(false);
    expect(matches(`${"a".repeat(60)}/`.repeat(10))).toBe(false);
  });

  it.each([
    ["a**", "`**` must be a whole path segment"],
    ["**.md", "`**` must be a whole path segment"],
    ["(a|b)", "`(` is not supported"],
    ["@(a|b)", "`(` is not supported"],
    ["+(a)", "`(` is not supported"],
    ["[!a]", "write a negated class as `[^…]`"],
    ["{1..3}", "ranges such as {1..3} are not supported"],
    ["[[:alpha:]]", "POSIX classes"],
    ["a[/]b", "a class cannot hold `/`"],
    ["{a,b", "a `{` is never closed"],
    ["*{*,a}", "is ambiguous"],
    ["a\\", "lone backslash"],
    ["{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}", `more than ${MAX_GLOB_ALTERNATIVES} alternatives`],
  ])("refuses %s with a message rather than reading it another way", (glob, problem) => {
    expect(globProblem(glob)).toContain(problem);
  });

  it("counts the characters of a list once its braces are expanded", () => {
    expect(expandedGlobSize(["{a,b}/x", "!c"])).toBe(7);
  });
});
