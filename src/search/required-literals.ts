/**
 * What a regular expression (RE2 syntax) requires of any text it matches, as literals: every group must occur in the
 * text (AND), and any one string of a group will do (OR). The trigram index narrows a search to files holding them.
 *
 * Sound, not complete: whatever is not understood requires nothing, so a file is never excluded that the pattern could
 * match; the pattern itself decides afterwards, line by line. Case-insensitive patterns (flag or `(?i)` anywhere) give
 * literals to compare case-insensitively, and letters whose case folding leaves ASCII (k, s: the Kelvin sign, the long s)
 * or that are not ASCII end a literal.
 * @example requiredLiterals("colou?r (red|blue)") // [["color red", "colour red", "color blue", "colour blue"]]
 */
export function requiredLiterals(pattern: string, options: { caseInsensitive: boolean }): string[][] {
  const parser = new Parser(pattern, options.caseInsensitive || /\(\?[a-zA-Z-]*i/.test(pattern));
  try {
    const info = parser.parseAlternation();
    if (parser.position < pattern.length) return [];
    return finish(info);
  } catch (error) {
    if (error instanceof GiveUp) return [];
    throw error;
  }
}

/** What one part of a pattern matches: exactly one of a few strings (`exact`), and literals every match contains. */
type Info = { exact: string[] | null; all: string[][] };

const UNKNOWN: Info = { exact: null, all: [] };
const EMPTY: Info = { exact: [""], all: [] };
const MAX_EXACT = 32;
const MAX_EXACT_LENGTH = 200;
const MAX_GROUPS = 4;

class GiveUp extends Error {}

class Parser {
  position = 0;
  private depth = 0;

  constructor(
    private readonly pattern: string,
    private readonly foldCase: boolean,
  ) {}

  parseAlternation(): Info {
    const branches = [this.parseConcatenation()];
    while (this.pattern[this.position] === "|") {
      this.position += 1;
      branches.push(this.parseConcatenation());
    }
    return branches.length === 1 ? (branches[0] as Info) : alternation(branches);
  }

  private parseConcatenation(): Info {
    const terms: Info[] = [];
    while (this.position < this.pattern.length) {
      const next = this.pattern[this.position];
      if (next === "|" || next === ")") break;
      terms.push(this.parseTerm());
    }
    return concatenation(terms);
  }

  private parseTerm(): Info {
    let info = this.parseAtom();
    for (;;) {
      const quantifier = this.readQuantifier();
      if (!quantifier) return info;
      if (this.pattern[this.position] === "?" || this.pattern[this.position] === "+") this.position += 1;
      info = repeated(info, quantifier);
    }
  }

  private readQuantifier(): { min: number; max: number } | null {
    const next = this.pattern[this.position];
    if (next === "*" || next === "?" || next === "+") {
      this.position += 1;
      return { min: next === "+" ? 1 : 0, max: next === "?" ? 1 : Number.POSITIVE_INFINITY };
    }
    if (next !== "{") return null;
    const match = /^\{(\d+)(,\d*)?\}/.exec(this.pattern.slice(this.position));
    if (!match) return null; // a `{` that starts no repetition is a literal in RE2
    this.position += match[0].length;
    const max =
      match[2] === undefined
        ? Number(match[1])
        : match[2] === ","
          ? Number.POSITIVE_INFINITY
          : Number(match[2].slice(1));
    return { min: Number(match[1]), max };
  }

  private parseAtom(): Info {
    const character = this.pattern[this.position] as string;
    this.position += 1;
    switch (character) {
      case "(":
        return this.parseGroup();
      case "[":
        this.skipClass();
        return UNKNOWN;
      case ".":
        return UNKNOWN;
      case "^":
      case "$":
        return EMPTY;
      case "\\":
        return this.parseEscape();
      case "*":
      case "+":
      case "?":
        throw new GiveUp(); // RE2 refuses a repetition of nothing; the compiled pattern reports it
      default:
        return this.literal(character);
    }
  }

  private parseGroup(): Info {
    this.depth += 1;
    if (this.depth > 100) throw new GiveUp();
    if (this.pattern[this.position] === "?") {
      const flags = /^\?([a-zA-Z-]*)(:|\))/.exec(this.pattern.slice(this.position));
      const named = /^\?P?<[A-Za-z0-9_]+>/.exec(this.pattern.slice(this.position));
      if (flags?.[2] === ")") {
        // `(?i)`: flags for the rest of the enclosing group (case folding is already decided for the whole pattern)
        this.position += flags[0].length;
        this.depth -= 1;
        return EMPTY;
      }
      const opener = flags ?? named;
      if (!opener) throw new GiveUp(); // lookarounds and the like: RE2 refuses them, the compiled pattern says so
      this.position += opener[0].length;
    }
    const info = this.parseAlternation();
    if (this.pattern[this.position] !== ")") throw new GiveUp();
    this.position += 1;
    this.depth -= 1;
    return info;
  }

  /** `[...]`: a set of characters, skipped (`]` first is a member; `[:alpha:]` and escapes inside). */
  private skipClass(): void {
    if (this.pattern[this.position] === "^") this.position += 1;
    if (this.pattern[this.position] === "]") this.position += 1;
    while (this.position < this.pattern.length) {
      const character = this.pattern[this.position];
      if (character === "]") {
        this.position += 1;
        return;
      }
      if (character === "\\") this.position += 2;
      else if (this.pattern.startsWith("[:", this.position)) {
        const end = this.pattern.indexOf(":]", this.position + 2);
        this.position = end < 0 ? this.position + 1 : end + 2;
      } else this.position += 1;
    }
    throw new GiveUp();
  }

  private parseEscape(): Info {
    const character = this.pattern[this.position];
    if (character === undefined) throw new GiveUp();
    this.position += 1;
    if (/[^A-Za-z0-9]/.test(character)) return this.literal(character);
    const control: Record<string, string> = { a: "\x07", f: "\f", t: "\t", n: "\n", r: "\r", v: "\v" };
    if (character in control) return this.literal(control[character] as string);
    if ("bBAz".includes(character)) return EMPTY;
    if ("dDwWsS".includes(character)) return UNKNOWN;
    if (character === "p" || character === "P") {
      const name = /^(\{[^}]*\}|[A-Za-z])/.exec(this.pattern.slice(this.position));
      if (!name) throw new GiveUp();
      this.position += name[0].length;
      return UNKNOWN;
    }
    if (character === "Q") return this.parseQuoted();
    if (character === "x") return this.parseHex();
    throw new GiveUp(); // octal, \C and anything rarer: no literal taken from the pattern at all
  }

  private parseQuoted(): Info {
    const end = this.pattern.indexOf("\\E", this.position);
    const text = this.pattern.slice(this.position, end < 0 ? undefined : end);
    this.position = end < 0 ? this.pattern.length : end + 2;
    return concatenation([...text].map((character) => this.literal(character)));
  }

  private parseHex(): Info {
    const match = /^(\{([0-9A-Fa-f]{1,6})\}|[0-9A-Fa-f]{2})/.exec(this.pattern.slice(this.position));
    if (!match) throw new GiveUp();
    this.position += match[0].length;
    const code = Number.parseInt(match[2] ?? match[1] ?? "", 16);
    if (code > 0x10ffff) throw new GiveUp();
    return this.literal(String.fromCodePoint(code));
  }

  private literal(character: string): Info {
    if (character === "\n") return UNKNOWN; // no line holds a newline: the pattern fails, let it say so
    if (!this.foldCase) return { exact: [character], all: [] };
    // ILIKE folds ASCII letters the way RE2 does; k and s fold to non-ASCII letters too (K, ſ), others vary by locale
    if (/[A-JL-RT-Za-jl-rt-z]/.test(character) || /[\x20-\x40\x5b-\x60\x7b-\x7e\t]/.test(character)) {
      return { exact: [character.toLowerCase()], all: [] };
    }
    return UNKNOWN;
  }
}

function concatenation(terms: readonly Info[]): Info {
  const all: string[][] = [];
  let run: string[] | null = [""];
  let exact = true;
  for (const term of terms) {
    all.push(...term.all);
    if (term.exact && run && fits(run, term.exact)) {
      run = run.flatMap((prefix) => (term.exact as string[]).map((suffix) => prefix + suffix));
      continue;
    }
    exact = false;
    if (run) all.push(run);
    run = term.exact;
  }
  if (exact) return { exact: run, all };
  if (run) all.push(run);
  return { exact: null, all };
}

function fits(run: readonly string[], next: readonly string[]): boolean {
  if (run.length * next.length > MAX_EXACT) return false;
  const longest = (strings: readonly string[]) => Math.max(...strings.map((text) => text.length));
  return longest(run) + longest(next) <= MAX_EXACT_LENGTH;
}

function repeated(info: Info, { min, max }: { min: number; max: number }): Info {
  if (min === 0) {
    // at most once: nothing or one of its strings; more often: anything of it (no exact strings)
    return max === 1 && info.exact && info.exact.length < MAX_EXACT
      ? { exact: [...new Set(["", ...info.exact])], all: [] }
      : UNKNOWN;
  }
  // at least one occurrence: whatever one occurrence requires
  return { exact: null, all: info.exact ? [...info.all, info.exact] : info.all };
}

function alternation(branches: readonly Info[]): Info {
  const exact = branches.every((branch) => branch.exact)
    ? [...new Set(branches.flatMap((b) => b.exact ?? []))]
    : null;
  if (exact && exact.length <= MAX_EXACT) return { exact, all: [] };
  // (A1 ∧ A2) ∨ (B1 ∧ B2) implies (A1 ∨ B1): one group of each branch, joined
  const chosen: string[] = [];
  for (const branch of branches) {
    const best = finish(branch)[0];
    if (!best) return UNKNOWN;
    chosen.push(...best);
  }
  return { exact: null, all: [[...new Set(chosen)]] };
}

/** The groups of a finished part: the ones that say something (no empty string), the most selective first. */
function finish(info: Info): string[][] {
  const groups = [...info.all, ...(info.exact ? [info.exact] : [])]
    .filter((group) => group.length > 0 && group.every((text) => text.length > 0))
    .map((group) => [...new Set(group)]);
  const unique = new Map(groups.map((group) => [JSON.stringify([...group].sort()), group]));
  return [...unique.values()].sort((a, b) => shortest(b) - shortest(a)).slice(0, MAX_GROUPS);
}

function shortest(group: readonly string[]): number {
  return Math.min(...group.map((text) => text.length));
}
