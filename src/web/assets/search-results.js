import { h } from "./dom.js";

/**
 * @typedef {object} HitLink where a hit's file opens: the file view as of the searched sync, or a branch's memory now
 * @property {string} owner
 * @property {string} name
 * @property {string | null} asOf
 */

/**
 * One matching file (blob) of a search page: its paths (with branches when every branch was searched), each linking
 * to the file view, and its matching lines with the matched ranges in <mark> and a line of context either side.
 * @param {any} result one of the search API's `results`
 * @param {HitLink & { allBranches: boolean, branch: string | null }} link
 */
export function searchResult(result, link) {
  const first = result.paths[0] ?? { branch: link.branch, path: result.path };
  const more = result.pathCount - result.paths.length;
  return h(
    "li",
    { class: "search-result", dataset: { path: result.path, blob: result.blobSha } },
    h(
      "div",
      { class: "result-paths" },
      result.paths.map((/** @type {{ branch: string, path: string }} */ at) =>
        h(
          "span",
          { class: "result-path" },
          hitLink(link, at, null, at.path),
          link.allBranches ? h("span", { class: "tag result-branch" }, at.branch) : null,
        ),
      ),
      more > 0 ? h("span", { class: "muted" }, `and ${more} more path${more === 1 ? "" : "s"}`) : null,
    ),
    h("table", { class: "search-lines" }, h("tbody", {}, lineRows(result.matches, link, first))),
    h(
      "p",
      { class: "meta muted" },
      `${result.lineCount}${result.lineCountCapped ? "+" : ""} matching line${result.lineCount === 1 ? "" : "s"}`,
      result.lineCount > result.matches.length ? ` (the first ${result.matches.length} shown)` : "",
    ),
  );
}

/**
 * The matching lines with their context, each context line shown once; a gap between them is marked.
 * @param {any[]} matches
 * @param {HitLink} link
 * @param {{ branch: string | null, path: string }} at
 */
function lineRows(matches, link, at) {
  /** @type {HTMLElement[]} */
  const rows = [];
  let shown = 0; // the last line number shown
  matches.forEach((match, index) => {
    const next = matches[index + 1];
    if (match.before !== null && match.line - 1 > shown) {
      if (shown > 0 && match.line - 2 > shown) rows.push(gapRow());
      rows.push(contextRow(match.line - 1, match.before));
    } else if (shown > 0 && match.line - 1 > shown) rows.push(gapRow());
    rows.push(
      h(
        "tr",
        { class: "hit", dataset: { line: match.line } },
        h("td", { class: "line-number" }, hitLink(link, at, match.line, String(match.line))),
        h("td", { class: "line-text" }, h("pre", {}, highlighted(match))),
      ),
    );
    shown = match.line;
    if (match.after !== null && next?.line !== match.line + 1) {
      rows.push(contextRow(match.line + 1, match.after));
      shown = match.line + 1;
    }
  });
  return rows;
}

/**
 * @param {number} line
 * @param {string} text
 */
function contextRow(line, text) {
  return h(
    "tr",
    { class: "context", dataset: { line } },
    h("td", { class: "line-number" }, line),
    h("td", { class: "line-text" }, h("pre", {}, text)),
  );
}

function gapRow() {
  return h("tr", { class: "gap" }, h("td", { class: "line-number" }, "⋯"), h("td", {}));
}

/**
 * The line as text nodes with each matched range in a <mark>; "…" where the line was cut to a window.
 * @param {{ text: string, column: number, ranges: [number, number][] }} match
 */
function highlighted(match) {
  /** @type {(Node | string)[]} */
  const parts = match.column > 0 ? ["…"] : [];
  let at = 0;
  for (const [start, end] of match.ranges) {
    if (start < at || end <= start) continue;
    if (start > at) parts.push(match.text.slice(at, start));
    parts.push(h("mark", {}, match.text.slice(start, end)));
    at = end;
  }
  if (at < match.text.length) parts.push(match.text.slice(at));
  return parts;
}

/**
 * A link to the file view: as of the searched sync, or the branch's memory now; at a line when given.
 * @param {HitLink} link
 * @param {{ branch: string | null, path: string }} at
 * @param {number | null} line
 * @param {string} label
 */
function hitLink(link, at, line, label) {
  const query = new URLSearchParams({ path: at.path });
  if (link.asOf) query.set("asOf", link.asOf);
  else if (at.branch) query.set("branch", at.branch);
  const href = `/repos/${encodeURIComponent(link.owner)}/${encodeURIComponent(link.name)}/file?${query}${line ? `#L${line}` : ""}`;
  return h("a", { href, class: line ? "line-link" : "file-link" }, label);
}
