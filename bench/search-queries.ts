// Query sets for the search benchmark, picked deterministically from the text the generated repository is cut from.
import { createContentPools } from "../sim/generate/generate-content.js";
import { createRandom } from "../sim/generate/seeded-random.js";

export type QueryClass = "literal" | "regex" | "case-insensitive";

export type BenchQuery = {
  class: QueryClass;
  /** what the query is meant to exercise: common, medium, rare, none (no match), … */
  kind: string;
  query: string;
  regex: boolean;
  caseSensitive: boolean;
};

/**
 * ~20 literals of varied frequency (common tokens, mid-frequency names, lines found once in the pool, single-file
 * headers, strings that match nothing), 10 RE2 regexes each holding a literal of 3+ characters, and 4 case-insensitive
 * literals. Every generated text file is a header `// sim <seed>:<index>` then a run of the seed's text pool, so a
 * token's frequency in the pool approximates the share of files holding it.
 */
export function pickSearchQueries(options: { seed: number; files: number }): BenchQuery[] {
  const pool = createContentPools(options.seed).text.toString("latin1");
  const random = createRandom(options.seed ^ 0x5ea7c4);
  const tokens = countTokens(pool);
  const byCount = [...tokens.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const names = byCount.filter(([token]) => /^[a-z]+[A-Z][a-z]+$/.test(token)).map(([token]) => token);
  const words = byCount.filter(([token]) => /^[a-z]+$/.test(token)).map(([token]) => token);
  const lines = onceLines(pool);
  const pick = <T>(items: readonly T[], from: number, to: number): T =>
    items[Math.floor(items.length * from + random.next() * items.length * (to - from))] as T;
  const common = [pick(words, 0, 0.3), pick(words, 0, 0.3), pick(names, 0, 0.05)];
  const medium = [0, 1, 2, 3, 4].map(() => pick(names, 0.3, 0.7));
  const rare = [0, 1, 2, 3].map(() => random.pick(lines));
  const headers = [0, 1].map(() => `// sim ${options.seed}:${random.int(0, options.files - 1)}\n`.trim());
  const seven = Array.from({ length: 7 }, () => random.pick(words)).join(" ");
  const never = [
    `${random.pick(names)}Qzxj`,
    `${random.pick(names)}(${random.pick(words)}, 10000)`, // the pool's numbers stop at 9999
    pool.includes(seven) ? `${seven} zqx` : seven, // comments hold 6 words: common trigrams, no match
    "wvqzjx",
  ];
  const literal = (kind: string, query: string): BenchQuery => ({
    class: "literal",
    kind,
    query,
    regex: false,
    caseSensitive: true,
  });
  const regex = (query: string): BenchQuery => ({
    class: "regex",
    kind: "regex",
    query,
    regex: true,
    caseSensitive: true,
  });
  const insensitive = (kind: string, query: string): BenchQuery => ({
    class: "case-insensitive",
    kind,
    query,
    regex: false,
    caseSensitive: false,
  });
  const [w1, w2, w3, w4] = [0, 1, 2, 3].map(() => random.pick(words)) as [string, string, string, string];
  const [n1, n2, n3, n4] = [0, 1, 2, 3].map(() => pick(names, 0.2, 0.8)) as [string, string, string, string];
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  return [
    ...common.map((query) => literal("common", query)),
    literal("common", "export function"),
    literal("common", "return {"),
    ...medium.map((query) => literal("medium", query)),
    ...rare.map((query) => literal("rare line", query)),
    ...headers.map((query) => literal("one file", query)),
    ...never.map((query) => literal("none", query)),
    // POSIX ERE as well as RE2 (the git grep baseline runs them with -E): no \w, \s or \d
    regex(`export function ${n1}\\(`),
    regex(`${w1}\\.${w2}\\(`),
    regex(`const [A-Za-z]+ = ${n2}\\(`),
    regex(`"${w3}-[0-9]+"`),
    regex(`if \\(${w4}\\.[a-z]+ > [0-9]{3}\\)`),
    regex(`^ *import \\{ ${n3},`),
    regex(`let [A-Za-z]+: ${capital(w1)}\\[\\]`),
    regex(`return ${n4}\\([a-z]+\\);`),
    regex(`${n1}|${n2}`),
    regex(`(${w2}|${w3}) ${w4} [a-z]+ ${w1}`),
    insensitive("common", (common[0] as string).toUpperCase()),
    insensitive("medium", (medium[0] as string).toLowerCase()),
    insensitive("rare line", (rare[0] as string).toUpperCase()),
    insensitive("none", (never[0] as string).toUpperCase()),
  ];
}

function countTokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  }
  return counts;
}

/** Lines of 25–70 characters (indentation trimmed) found exactly once in the pool. */
function onceLines(pool: string): string[] {
  const counts = new Map<string, number>();
  for (const line of pool.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.length >= 25 && trimmed.length <= 70) counts.set(trimmed, (counts.get(trimmed) ?? 0) + 1);
  }
  return [...counts.entries()]
    .filter(([, count]) => count === 1)
    .map(([line]) => line)
    .sort();
}
