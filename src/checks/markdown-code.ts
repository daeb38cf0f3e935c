// Characters that must not reach a rendered summary raw: C0/C1 controls (a newline would end the list item and start
// a heading or a fence), line/paragraph separators, and bidi controls (they can make a path read as another one).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Text from outside with every control character written as a visible escape (`\n`, `\u{1b}`), on one line. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, (char) => NAMED[char] ?? `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}

/** At most `max` characters (code points): the middle is cut, so both ends of a long path stay readable. */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join("")}…${tail > 0 ? chars.slice(-tail).join("") : ""}`;
}

/**
 * Any text as a markdown code span that renders exactly as the text (escaped as by visibleText): the fence is one
 * backtick longer than the longest run inside, and padded when the text starts or ends with a backtick or a space.
 * Inside a code span `<`, `|`, `*` and `&` are literal.
 * @example markdownCode("a`b") === "``a`b``"
 */
export function markdownCode(text: string, options: { max?: number } = {}): string {
  const content = shorten(visibleText(text), options.max ?? Number.POSITIVE_INFINITY);
  const fence = "`".repeat(longestBacktickRun(content) + 1);
  const pad = /^[` ]|[` ]$/.test(content) && !/^ *$/.test(content) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** Multi-line text as a fenced code block that no line inside can close. */
export function markdownCodeBlock(text: string, options: { max?: number } = {}): string {
  const lines = shorten(text, options.max ?? Number.POSITIVE_INFINITY)
    .split(/\r?\n/)
    .map((line) => visibleText(line));
  const body = lines.join("\n");
  const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}text\n${body}\n${fence}`;
}

/** One line of plain text (a check-run title): controls and line breaks become spaces. */
export function oneLine(text: string, max: number): string {
  return shorten(text.replace(INVISIBLE, " ").replace(/\s+/g, " ").trim(), max);
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}
