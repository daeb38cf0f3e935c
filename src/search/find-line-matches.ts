import type { SearchPattern } from "./compile-search-pattern.js";

/** One matching line: its number (from 1), the text shown, the matched ranges in it, a line of context either side. */
export type LineMatch = {
  line: number;
  text: string;
  /** where `text` starts in the line (0 unless the line was longer than the window shown) */
  column: number;
  /** [start, end) in `text` (UTF-16 offsets) */
  ranges: [number, number][];
  before: string | null;
  after: string | null;
};

export type FileMatches = {
  /** the first `maxLines` matching lines */
  matches: LineMatch[];
  /** how many lines match, counted up to `countLimit` */
  lineCount: number;
  /** more lines match than were counted */
  countCapped: boolean;
};

export type FindLineMatchesLimits = {
  maxLines: number;
  maxRangesPerLine: number;
  /** a longer line is shown as a window of this many characters around its first match; context lines are cut too */
  maxLineLength: number;
  countLimit: number;
};

/**
 * The lines of a text that match, as `git grep -n` sees lines (split at LF; a CR stays in the line), with bounded
 * output however long the file or its lines.
 */
export function findLineMatches(
  text: string,
  pattern: SearchPattern,
  limits: FindLineMatchesLimits,
): FileMatches {
  const matches: LineMatch[] = [];
  let lineCount = 0;
  if (!pattern.mayMatch(text)) return { matches, lineCount, countCapped: false };
  const lines = text.split("\n");
  // a text ending in LF has no line after it
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const ranges = pattern.matchLine(line, lineCount < limits.maxLines ? limits.maxRangesPerLine : 1);
    if (ranges.length === 0) continue;
    lineCount += 1;
    if (lineCount <= limits.maxLines) {
      matches.push(window(index, line, ranges, lines, limits.maxLineLength));
    }
    if (lineCount >= limits.countLimit) return { matches, lineCount, countCapped: index < lines.length - 1 };
  }
  return { matches, lineCount, countCapped: false };
}

function window(
  index: number,
  line: string,
  ranges: [number, number][],
  lines: readonly string[],
  maxLength: number,
): LineMatch {
  const first = ranges[0] as [number, number];
  const column = line.length <= maxLength ? 0 : Math.max(0, Math.min(first[0] - 40, line.length - maxLength));
  const text = line.slice(column, column + maxLength);
  const shown = ranges
    .filter(([start]) => start >= column && start < column + maxLength)
    .map(([start, end]): [number, number] => [start - column, Math.min(end, column + maxLength) - column]);
  const context = (other: string | undefined) => (other === undefined ? null : other.slice(0, maxLength));
  return {
    line: index + 1,
    text,
    column,
    ranges: shown,
    before: context(lines[index - 1]),
    after: context(lines[index + 1]),
  };
}
