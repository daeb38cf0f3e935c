import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { detectRenames, type RenameSide } from "../../src/compare/detect-renames.js";
import { similarityPercent } from "../../src/compare/estimate-similarity.js";
import { type SpanSignature, spanSignature } from "../../src/compare/span-signature.js";
import { createGitScratch, type GitScratch } from "../helpers/git-scratch.js";

// The port of git's rename detection (span hashes, similarity estimate, exact / same-name / matrix passes) against
// the installed git itself: random files are written as blobs, two trees are built with them, and
// `git diff --name-status -M` between the trees must equal what detectRenames finds, scores included.

type File = { path: string; mode: string; content: Buffer };

const LINES = [
  "alpha\n",
  "beta\n",
  "gamma\r\n",
  "delta delta delta\n",
  "\n",
  "x".repeat(70),
  `${"long line that is well over sixty-four bytes long so it splits into two spans ".repeat(2)}\n`,
  "const answer = 42;\n",
  "return value;\r\n",
  "}\n",
  "bin\u0000ary\n",
  "é ü 漢字\n",
];
const DIRS = ["", "a/", "b/", "a/c/"];
const NAMES = ["x.txt", "y.txt", "z.md", "w.ts", "v.sh"];

const lineArbitrary = fc.constantFrom(...LINES.filter((line) => !line.includes("\u0000")));
const anyLineArbitrary = fc.constantFrom(...LINES);
const textArbitrary = fc
  .tuple(fc.array(lineArbitrary, { maxLength: 40 }), fc.boolean(), fc.boolean())
  .map(([lines, dropNewline, binary]) => {
    let text = lines.join("");
    if (dropNewline) text = text.replace(/\n$/, "");
    return binary ? `${text}bin\u0000ary\n` : text;
  });

type Edit = { kind: "copy" | "edit" | "fresh"; ops: { at: number; line: string; remove: boolean }[] };
const editArbitrary: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom("copy", "edit", "edit", "fresh"),
  ops: fc.array(fc.record({ at: fc.nat(60), line: anyLineArbitrary, remove: fc.boolean() }), {
    maxLength: 8,
  }),
});

const modeArbitrary = fc.constantFrom("100644", "100644", "100644", "100755", "120000");
const fileArbitrary = fc.record({
  dir: fc.constantFrom(...DIRS),
  name: fc.constantFrom(...NAMES),
  mode: modeArbitrary,
  text: textArbitrary,
});

const scenarioArbitrary = fc.record({
  sources: fc.array(fileArbitrary, { minLength: 1, maxLength: 7 }),
  edits: fc.array(fc.record({ edit: editArbitrary, target: fileArbitrary }), { minLength: 1, maxLength: 7 }),
});

function applyEdit(text: string, edit: Edit): string {
  const lines = text.split(/(?<=\n)/);
  for (const op of edit.ops) {
    const at = lines.length === 0 ? 0 : op.at % (lines.length + 1);
    if (op.remove && lines.length > 0) lines.splice(Math.min(at, lines.length - 1), 1);
    else lines.splice(at, 0, op.line);
  }
  return lines.join("");
}

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

function buildFiles(scenario: Scenario): { before: File[]; after: File[] } {
  const before = new Map<string, File>();
  for (const file of scenario.sources) {
    const path = `old/${file.dir}${file.name}`;
    before.set(path, { path, mode: file.mode, content: Buffer.from(file.text, "utf8") });
  }
  const sources = [...before.values()];
  const after = new Map<string, File>();
  scenario.edits.forEach(({ edit, target }, index) => {
    const source = sources[index % sources.length] as File;
    const path = `new/${target.dir}${index % 3 === 0 ? `${index}-` : ""}${target.name}`;
    const content =
      edit.kind === "copy"
        ? source.content
        : edit.kind === "edit"
          ? Buffer.from(applyEdit(source.content.toString("utf8"), edit), "utf8")
          : Buffer.from(target.text, "utf8");
    after.set(path, { path, mode: edit.kind === "fresh" ? target.mode : source.mode, content });
  });
  return { before: sources, after: [...after.values()] };
}

describe("detectRenames equals git diff --name-status -M", () => {
  let git: GitScratch;
  beforeAll(() => {
    git = createGitScratch();
  });
  afterAll(() => git.remove());

  async function ours(before: File[], after: File[]): Promise<string[]> {
    const side = (file: File): RenameSide => ({
      path: file.path,
      mode: file.mode,
      sha: git.blob(file.content),
      size: file.content.length,
      hasContent: true,
    });
    const byPath = (a: File, b: File) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));
    const sources = [...before].sort(byPath);
    const destinations = [...after].sort(byPath);
    const contents = new Map([...before, ...after].map((file) => [git.blob(file.content), file.content]));
    const { renames } = await detectRenames({
      sources: sources.map(side),
      destinations: destinations.map(side),
      loadSignatures: async (sides) => {
        const signatures = new Map<string, SpanSignature>();
        for (const s of sides) signatures.set(s.sha, spanSignature(contents.get(s.sha) as Buffer));
        return signatures;
      },
    });
    const lines = renames.map(
      (rename) =>
        `R${String(similarityPercent(rename.score)).padStart(3, "0")} ${sources[rename.source]?.path} ${destinations[rename.destination]?.path}`,
    );
    const renamedFrom = new Set(renames.map((rename) => rename.source));
    const renamedTo = new Set(renames.map((rename) => rename.destination));
    sources.forEach((file, index) => {
      if (!renamedFrom.has(index)) lines.push(`D ${file.path}`);
    });
    destinations.forEach((file, index) => {
      if (!renamedTo.has(index)) lines.push(`A ${file.path}`);
    });
    return lines.sort();
  }

  function theirs(before: File[], after: File[]): string[] {
    const tree = (files: File[]) =>
      git.tree(files.map((file) => ({ path: file.path, mode: file.mode, sha: git.blob(file.content) })));
    return git
      .diff(tree(before), tree(after))
      .map((line) =>
        line.status === "R"
          ? `R${String(line.score).padStart(3, "0")} ${line.paths.join(" ")}`
          : `${line.status} ${line.paths[0]}`,
      )
      .sort();
  }

  it("on random files: renames, their pairing and similarity percent", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const { before, after } = buildFiles(scenario);
        expect(await ours(before, after)).toEqual(theirs(before, after));
      }),
      { numRuns: 150 },
    );
  });

  it("keeps git's limits: a 64-byte span, a lone CR, CRLF, a last line without newline", async () => {
    const base = `${"a".repeat(200)}\nline\r\nlone\rcr\n${"tail without newline ".repeat(5)}`;
    const before = [{ path: "one/f.txt", mode: "100644", content: Buffer.from(base) }];
    const after = [
      { path: "two/g.txt", mode: "100644", content: Buffer.from(`${base.replace("line\r\n", "line\n")}x`) },
    ];
    expect(await ours(before, after)).toEqual(theirs(before, after));
  });

  it("over the rename limit compares no edited pair, says why, and still finds exact renames", async () => {
    const text = (label: string) => Buffer.from(`${"shared line of text\n".repeat(20)}${label}\n`);
    const side = (path: string, content: Buffer): RenameSide => ({
      path,
      mode: "100644",
      sha: git.blob(content),
      size: content.length,
      hasContent: true,
    });
    const loaded: string[] = [];

    const result = await detectRenames({
      sources: [side("a/one.txt", text("1")), side("a/same.txt", text("same")), side("a/two.txt", text("2"))],
      destinations: [
        side("b/copy.txt", text("same")),
        side("b/uno.txt", text("1!")),
        side("b/dos.txt", text("2!")),
      ],
      renameLimit: 1,
      loadSignatures: async (sides) => {
        loaded.push(...sides.map((s) => s.path));
        return new Map(sides.map((s) => [s.sha, spanSignature(Buffer.alloc(0))]));
      },
    });

    expect(result.renames).toEqual([{ source: 1, destination: 0, score: 60_000 }]);
    expect(result.inexact).toEqual({
      complete: false,
      reason:
        "2 removed × 2 added paths exceed git's diff.renameLimit (1): renames are exact (or same-name) only",
    });
    expect(loaded).toEqual([]);
  });
});
