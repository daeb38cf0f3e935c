/**
 * Glob matching in time linear in the subject, for the globs of `.github/project-sync.yml`. picomatch compiles a glob
 * to a backtracking regular expression, and a repository's config is written by whoever can push to it: a glob such
 * as `a*a*a*a*a*a*a*a*a*a*b` against a branch or path of forty `a`s backtracks for hours and blocks the whole
 * process. Here a glob is a small automaton whose states are all advanced together, one character at a time.
 *
 * The syntax is picomatch's common part, matched as `picomatch(globs, { dot: true })` matches it: `*` (any characters
 * but `/`), `?` (one character but `/`), `**` as a whole path segment (any number of segments: `**` /
 * `**\/x` / `a/**\/x` / `a/**`, the last also matching `a`), `[abc]`, `[a-z]`, `[^a]`, `{a,b}` (nested too), `\`
 * escaping the next character, a leading `!` negating the glob, and a list matching when any of its globs does. What
 * picomatch reads in ways nobody means (`(a|b)` as a regular expression, `**` inside a segment, `[!a]`, `{1..3}`) is
 * refused with a message rather than matched differently.
 */

import { createGlobAutomaton, type GlobAtom, type GlobAutomaton } from "./create-glob-automaton.js";

/** At most this many alternatives per glob once its braces are expanded. */
export const MAX_GLOB_ALTERNATIVES = 64;
/** At most this many characters in all the globs of a list together once their braces are expanded. */
export const MAX_EXPANDED_GLOB_CHARACTERS = 20_000;

type CompiledGlob = { source: string; negated: boolean; alternatives: GlobAutomaton[] };

class GlobError extends Error {}

/** Why a glob cannot be used (a message naming the problem), or null when it can. */
export function globProblem(glob: string): string | null {
  try {
    compileGlob(glob);
    return null;
  } catch (error) {
    if (error instanceof GlobError) return error.message;
    throw error;
  }
}

/** The characters a list of globs comes to once every brace is expanded (see MAX_EXPANDED_GLOB_CHARACTERS). */
export function expandedGlobSize(globs: readonly string[]): number {
  let size = 0;
  for (const glob of globs) {
    try {
      for (const alternative of expandBraces(glob.replace(/^!+/, ""))) size += alternative.length;
    } catch (error) {
      if (!(error instanceof GlobError)) throw error;
    }
  }
  return size;
}

/**
 * A matcher for a list of globs: true when any of them matches (a negated glob matches what it does not match).
 * Throws on a glob globProblem refuses; validated configs never hold one.
 * @example compileGlobs(["main", "release/*"])("release/1.2") // true
 */
export function compileGlobs(globs: readonly string[]): (subject: string) => boolean {
  const compiled = globs.map(compileGlob);
  return (subject) =>
    compiled.some((glob) =>
      glob.negated
        ? !matchesAny(glob.alternatives, subject)
        : subject === glob.source || matchesAny(glob.alternatives, subject),
    );
}

function compileGlob(glob: string): CompiledGlob {
  let body = glob;
  let negated = false;
  while (body.startsWith("!")) {
    negated = !negated;
    body = body.slice(1);
  }
  while (body.startsWith("./")) body = body.slice(2);
  // picomatch judges by the glob as written: `a*/**` needs the slash, `{a,b*}/**` does not
  const slashRequired = /(?:^|[^\\])\*\/\*\*$/.test(body.replace(/(?:\/\*\*)+$/, "/**"));
  const alternatives = expandBraces(body).map((pattern) =>
    createGlobAutomaton(compileAlternative(pattern, slashRequired)),
  );
  return { source: glob, negated, alternatives };
}

// ---- braces ----------------------------------------------------------------------------------------------------

/** `a{b,c}d` → [`abd`, `acd`], nested braces too; a brace without a top-level comma is literal. */
function expandBraces(pattern: string): string[] {
  const results: string[] = [];
  const expand = (text: string) => {
    const group = findBraceGroup(text);
    if (!group) {
      results.push(text);
      if (results.length > MAX_GLOB_ALTERNATIVES) {
        throw new GlobError(`its braces expand to more than ${MAX_GLOB_ALTERNATIVES} alternatives`);
      }
      return;
    }
    const prefix = text.slice(0, group.start);
    const suffix = text.slice(group.end + 1);
    for (const option of group.options) {
      if (
        (endsWithStar(prefix) && option.startsWith("*")) ||
        (endsWithStar(option) && suffix.startsWith("*"))
      ) {
        throw new GlobError(
          "a `*` next to a brace option that starts or ends with `*` is ambiguous: merge them",
        );
      }
      expand(prefix + option + suffix);
    }
  };
  expand(pattern);
  return results;
}

function endsWithStar(text: string): boolean {
  return text.endsWith("*") && !text.endsWith("\\*");
}

/** The first `{…}` with a top-level comma: where it starts and ends, and its options. */
function findBraceGroup(text: string): { start: number; end: number; options: string[] } | null {
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === "\\") {
      index += 1;
      continue;
    }
    if (character === "[") {
      index = classEnd(text, index) ?? index;
      continue;
    }
    if (character !== "{") continue;
    const group = braceGroupAt(text, index);
    if (group) return group;
  }
  return null;
}

function braceGroupAt(text: string, start: number): { start: number; end: number; options: string[] } | null {
  let depth = 0;
  const commas: number[] = [];
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (character === "\\") {
      index += 1;
    } else if (character === "[") {
      index = classEnd(text, index) ?? index;
    } else if (character === "{") {
      depth += 1;
    } else if (character === "}") {
      depth -= 1;
      if (depth > 0) continue;
      if (commas.length === 0) {
        if (/^\{[^{}]*\.\.[^{}]*\}$/.test(text.slice(start, index + 1))) {
          throw new GlobError("ranges such as {1..3} are not supported: list the values, as in {1,2,3}");
        }
        return null; // `{a}`: literal
      }
      const bounds = [start, ...commas, index];
      const options = bounds.slice(1).map((end, at) => text.slice((bounds[at] ?? start) + 1, end));
      return { start, end: index, options };
    } else if (character === "," && depth === 1) {
      commas.push(index);
    }
  }
  throw new GlobError("a `{` is never closed: write `\\{` for the character itself");
}

// ---- one alternative (no braces left) --------------------------------------------------------------------------

function compileAlternative(pattern: string, slashRequired: boolean): GlobAtom[] {
  const segments = splitSegments(pattern).filter(
    (segment, index, all) => !(segment === "**" && all[index - 1] === "**"),
  );
  if (segments.length === 1 && segments[0] === "**") return [{ kind: "anything" }];
  const atoms: GlobAtom[] = [];
  let separatorDue = false;
  segments.forEach((segment, index) => {
    if (segment === "**") {
      if (index === segments.length - 1) {
        // picomatch: `a/**` matches `a` too, but `a*/**` needs the slash
        if (slashRequired) atoms.push(literal("/"), { kind: "rest" });
        else atoms.push({ kind: "anySubpath" });
        return;
      }
      if (separatorDue) atoms.push(literal("/"));
      atoms.push({ kind: "anyDirectories" });
      separatorDue = false;
      return;
    }
    if (separatorDue) atoms.push(literal("/"));
    atoms.push(...compileSegment(segment));
    separatorDue = true;
  });
  return atoms;
}

/** Splits on unescaped `/` (escapes are kept for compileSegment). */
function splitSegments(text: string): string[] {
  const segments: string[] = [];
  let current = "";
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    const end = character === "[" ? classEnd(text, index) : null;
    if (end !== null && text.slice(index, end).includes("/")) {
      throw new GlobError("a class cannot hold `/`: globs match path segments");
    }
    if (character === "\\" && index + 1 < text.length) {
      current += character + text[index + 1];
      index += 1;
    } else if (character === "/") {
      segments.push(current);
      current = "";
    } else {
      current += character;
    }
  }
  segments.push(current);
  return segments;
}

function compileSegment(segment: string): GlobAtom[] {
  const atoms: GlobAtom[] = [];
  for (let index = 0; index < segment.length; index += 1) {
    const character = segment[index] as string;
    if (character === "\\") {
      const next = segment[index + 1];
      if (next === undefined) throw new GlobError("it ends with a lone backslash");
      atoms.push(literal(next));
      index += 1;
    } else if (character === "*") {
      if (segment[index + 1] === "*") {
        throw new GlobError("`**` must be a whole path segment, as in `**/*.md` or `docs/**`");
      }
      atoms.push({ kind: "star" });
    } else if (character === "?") {
      atoms.push({ kind: "char", test: (candidate) => candidate !== "/" });
    } else if (character === "(" || character === ")" || character === "|") {
      throw new GlobError(
        `\`${character}\` is not supported (no regular-expression groups or extglobs): write \`\\${character}\` for the character itself`,
      );
    } else if (character === "[") {
      const end = classEnd(segment, index);
      if (end === null) {
        atoms.push(literal("["));
        continue;
      }
      atoms.push(compileClass(segment.slice(index + 1, end)));
      index = end;
    } else {
      atoms.push(literal(character));
    }
  }
  return atoms;
}

/** The index of the `]` closing the class opened at `start`, or null when there is none (`[` is then literal). */
function classEnd(text: string, start: number): number | null {
  let index = start + 1;
  if (text[index] === "^" || text[index] === "!") index += 1;
  if (text[index] === "]") index += 1; // `[]]`: a class holding `]`
  for (; index < text.length; index += 1) {
    if (text[index] === "\\") index += 1;
    else if (text[index] === "]") return index;
  }
  return null;
}

function compileClass(body: string): GlobAtom {
  if (body.startsWith("!")) throw new GlobError("write a negated class as `[^…]`, not `[!…]`");
  if (body.startsWith("[:") || body.includes("[:")) {
    throw new GlobError(
      "POSIX classes such as [[:alpha:]] are not supported: list the characters, as in [a-zA-Z]",
    );
  }
  const negated = body.startsWith("^");
  const members = negated ? body.slice(1) : body;
  const ranges: [string, string][] = [];
  const characters: string[] = [];
  for (let index = 0; index < members.length; index += 1) {
    let character = members[index] as string;
    if (character === "\\" && index + 1 < members.length) {
      index += 1;
      character = members[index] as string;
    }
    const high = members[index + 2];
    if (members[index + 1] === "-" && high !== undefined && high !== "]") {
      ranges.push([character, high]);
      index += 2;
    } else {
      characters.push(character);
    }
  }
  if (characters.includes("/") || ranges.some(([low, high]) => low <= "/" && "/" <= high)) {
    throw new GlobError("a class cannot hold `/`: globs match path segments");
  }
  const member = (candidate: string) =>
    characters.includes(candidate) || ranges.some(([low, high]) => low <= candidate && candidate <= high);
  return { kind: "char", test: (candidate) => candidate !== "/" && member(candidate) !== negated };
}

function literal(character: string): GlobAtom {
  return { kind: "char", test: (candidate) => candidate === character, literal: character };
}

function matchesAny(alternatives: GlobAutomaton[], subject: string): boolean {
  return alternatives.some((matches) => matches(subject));
}
