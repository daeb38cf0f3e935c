import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/**
 * The most characters any tool result or resource read holds (~15,000 tokens): agents' hosts refuse results over
 * ~25,000 tokens (github-mcp-server#181), and a result is only part of what an agent's context must hold.
 */
export const MAX_RESULT_CHARS = 60_000;

/** A tool's answer as one JSON text block. */
export function jsonResult(value: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }] };
}

/**
 * The longest head of `items` whose rendering fits MAX_RESULT_CHARS (at least none), found by bisection: `render`
 * builds the answer from the kept items and whether some were left out (it then sets the cursor from the last kept).
 * @example fitPage(page.entries, (kept, cut) => ({ files: kept, nextCursor: cut ? kept.at(-1)?.path : page.nextCursor }))
 */
export function fitPage<T>(items: readonly T[], render: (kept: T[], cut: boolean) => unknown): unknown {
  const size = (count: number) => JSON.stringify(render(items.slice(0, count), count < items.length)).length;
  if (size(items.length) <= MAX_RESULT_CHARS) return render([...items], false);
  let [fits, tooBig] = [0, items.length];
  while (tooBig - fits > 1) {
    const middle = Math.floor((fits + tooBig) / 2);
    if (size(middle) <= MAX_RESULT_CHARS) fits = middle;
    else tooBig = middle;
  }
  return render(items.slice(0, fits), true);
}

/** `text` cut at a line end within `max` characters; `cut` says whether anything was left out. */
export function cutText(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const end = text.lastIndexOf("\n", max);
  return { text: text.slice(0, end > 0 ? end + 1 : max), cut: true };
}
