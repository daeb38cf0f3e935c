import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { RE2JS } from "re2js";
import { requiredLiterals } from "../../src/search/required-literals.js";

/** A small regular-expression grammar: each node renders to RE2 syntax and can produce a text it matches. */
type Node =
  | { kind: "lit"; text: string }
  | { kind: "class" }
  | { kind: "dot" }
  | { kind: "anchor"; text: "^" | "$" | "\\b" }
  | { kind: "cat"; parts: Node[] }
  | { kind: "alt"; options: Node[] }
  | { kind: "rep"; node: Node; op: "*" | "+" | "?" | "{2}" | "{1,3}" }
  | { kind: "group"; node: Node; opener: "(" | "(?:" | "(?P<n>" };

const letters = fc.constantFrom("a", "b", "K", "s", "x", "é", ".", "(", "{", "_", "1");
const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      kind: fc.constant("lit" as const),
      text: fc.string({ unit: letters, minLength: 1, maxLength: 5 }),
    }),
    fc.record({ kind: fc.constant("class" as const) }),
    fc.record({ kind: fc.constant("dot" as const) }),
    fc.record({
      kind: fc.constant("anchor" as const),
      text: fc.constantFrom("^" as const, "$" as const, "\\b" as const),
    }),
    fc.record({
      kind: fc.constant("cat" as const),
      parts: fc.array(tie("node"), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      kind: fc.constant("alt" as const),
      options: fc.array(tie("node"), { minLength: 2, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant("rep" as const),
      node: tie("node"),
      op: fc.constantFrom("*" as const, "+" as const, "?" as const, "{2}" as const, "{1,3}" as const),
    }),
    fc.record({
      kind: fc.constant("group" as const),
      node: tie("node"),
      opener: fc.constantFrom("(" as const, "(?:" as const, "(?P<n>" as const),
    }),
  ),
})).node;

function render(n: Node): string {
  switch (n.kind) {
    case "lit":
      return RE2JS.quote(n.text);
    case "class":
      return "[a-c\\]]";
    case "dot":
      return ".";
    case "anchor":
      return n.text;
    case "cat":
      return n.parts.map(render).join("");
    case "alt":
      return `(?:${n.options.map(render).join("|")})`;
    case "rep":
      return `(?:${render(n.node)})${n.op}`;
    case "group":
      return `${n.opener}${render(n.node)})`;
  }
}

/** One text the node matches (anchors ignored: the check below keeps only texts the pattern really matches). */
function sample(n: Node, pick: () => number): string {
  switch (n.kind) {
    case "lit":
      return n.text;
    case "class":
      return ["a", "b", "c", "]"][pick() % 4] as string;
    case "dot":
      return ["z", "a", " "][pick() % 3] as string;
    case "anchor":
      return "";
    case "cat":
      return n.parts.map((part) => sample(part, pick)).join("");
    case "alt":
      return sample(n.options[pick() % n.options.length] as Node, pick);
    case "rep": {
      const times = {
        "*": pick() % 3,
        "+": 1 + (pick() % 2),
        "?": pick() % 2,
        "{2}": 2,
        "{1,3}": 1 + (pick() % 3),
      }[n.op];
      return Array.from({ length: times }, () => sample(n.node, pick)).join("");
    }
    case "group":
      return sample(n.node, pick);
  }
}

describe("requiredLiterals: never excludes a text the pattern matches", () => {
  it("every group holds a string of any matching text (random patterns, their own matches, case folded or not)", () => {
    fc.assert(
      fc.property(
        node,
        fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        fc.boolean(),
        (tree, picks, fold) => {
          let index = 0;
          const pick = () => picks[index++ % picks.length] as number;
          const pattern = render(tree);
          const text = `-${sample(tree, pick)}-`;
          let compiled: RE2JS;
          try {
            compiled = RE2JS.compile(pattern, fold ? RE2JS.CASE_INSENSITIVE : 0);
          } catch {
            return; // the grammar can repeat a group name, which RE2 refuses (search refuses it the same way)
          }
          if (!compiled.matcher(text).find()) return; // anchors made this sample impossible: nothing to check
          const groups = requiredLiterals(pattern, { caseInsensitive: fold });
          const subject = fold ? text.toLowerCase() : text;
          for (const group of groups) {
            expect(group.some((literal) => subject.includes(literal))).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("finds the literals that make the index useful", () => {
    const sorted = (groups: string[][]) => groups.map((group) => [...group].sort());
    expect(sorted(requiredLiterals("colou?r (red|blue)", { caseInsensitive: false }))).toEqual([
      ["color blue", "color red", "colour blue", "colour red"],
    ]);
    expect(sorted(requiredLiterals("fetch(Blob|Tree)s\\(\\)", { caseInsensitive: false }))).toEqual([
      ["fetchBlobs()", "fetchTrees()"],
    ]);
    expect(requiredLiterals("import .* from", { caseInsensitive: false })).toEqual([["import "], [" from"]]);
    expect(requiredLiterals("Foo+Bar", { caseInsensitive: true })).toEqual([["bar"], ["fo"], ["o"]]);
    expect(requiredLiterals("a|.*", { caseInsensitive: false })).toEqual([]);
    expect(requiredLiterals("\\d+", { caseInsensitive: false })).toEqual([]);
  });
});
