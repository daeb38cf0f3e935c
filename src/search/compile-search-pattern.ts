import { RE2JS, RE2JSException } from "re2js";
import { AppError } from "../errors.js";
import { requiredLiterals } from "./required-literals.js";

export type SearchPatternInput = {
  query: string;
  /** RE2 syntax (as GitHub code search, Zoekt, Go): linear time whatever the pattern, no backtracking */
  regex: boolean;
  caseSensitive: boolean;
};

/** A compiled search: the literals the index narrows by, and the matcher that decides line by line. */
export type SearchPattern = {
  /** AND of OR groups: a matching file's text holds one string of each group */
  literals: string[][];
  /** compare `literals` case-insensitively */
  caseInsensitive: boolean;
  /** whether any line of the text can match (a quick whole-text check before the lines) */
  mayMatch(text: string): boolean;
  /** the [start, end) ranges matched in one line (UTF-16 offsets), at most `max` */
  matchLine(line: string, max: number): [number, number][];
};

export const MAX_QUERY_LENGTH = 1000;

/**
 * Compiles a search query, literal or regular expression, case-sensitive or not. A query is bounded and single-line
 * (matches are within one line, as `git grep`); a regular expression that RE2 refuses is a BAD_INPUT with RE2's reason.
 * @example compileSearchPattern({ query: "fetch(Blob|Tree)s", regex: true, caseSensitive: true })
 */
export function compileSearchPattern(input: SearchPatternInput): SearchPattern {
  const { query } = input;
  if (query.length === 0) throw new AppError("BAD_INPUT", "The search query is empty.");
  if (query.length > MAX_QUERY_LENGTH) {
    throw new AppError("BAD_INPUT", `The search query is longer than ${MAX_QUERY_LENGTH} characters.`);
  }
  if (!input.regex && /[\r\n]/.test(query)) {
    throw new AppError("BAD_INPUT", "A search matches within one line: the query cannot hold a line break.");
  }
  const caseInsensitive = !input.caseSensitive;
  const source = input.regex ? query : RE2JS.quote(query);
  const flags = caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0;
  const lineMatcher = compile(source, flags);
  const textMatcher = compile(source, flags | RE2JS.MULTILINE);
  const literals = input.regex || caseInsensitive ? requiredLiterals(source, { caseInsensitive }) : [[query]];
  if (!input.regex && input.caseSensitive) {
    return {
      literals,
      caseInsensitive,
      mayMatch: (text) => text.includes(query),
      matchLine: (line, max) => literalRanges(line, query, max),
    };
  }
  return {
    literals,
    caseInsensitive,
    // any match within a line is a match of the whole text in multi-line mode (not conversely: it only rules out)
    mayMatch: (text) => textMatcher.matcher(text).find(),
    matchLine: (line, max) => {
      const ranges: [number, number][] = [];
      const matcher = lineMatcher.matcher(line);
      while (ranges.length < max && matcher.find()) ranges.push([matcher.start(), matcher.end()]);
      return ranges;
    },
  };
}

function compile(source: string, flags: number): RE2JS {
  try {
    return RE2JS.compile(source, flags);
  } catch (error) {
    if (error instanceof RE2JSException) {
      throw new AppError("BAD_INPUT", `The regular expression is not valid RE2 syntax: ${error.message}`);
    }
    throw error;
  }
}

function literalRanges(line: string, literal: string, max: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (
    let at = line.indexOf(literal);
    at >= 0 && ranges.length < max;
    at = line.indexOf(literal, at + literal.length)
  ) {
    ranges.push([at, at + literal.length]);
  }
  return ranges;
}
