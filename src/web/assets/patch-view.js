import { h } from "./dom.js";

const OMITTED = {
  binary: "Binary file: no diff shown.",
  too_large: "Too large: memory keeps no content for it.",
  submodule: "A submodule: no diff shown.",
  too_complex: "The diff took too long to compute.",
  page_budget:
    "Not shown: this page already holds 2 MB of diffs (open the file, or compare a narrower path).",
};

/**
 * A file's unified diff as lines of text, each marked added, removed, hunk or context (never parsed as HTML).
 * @param {{ text: string | null, truncated: boolean, omitted: keyof typeof OMITTED | null } | undefined} patch
 */
export function patchView(patch) {
  if (!patch) return null;
  if (patch.text === null) {
    return h("p", { class: "patch-note muted" }, patch.omitted ? OMITTED[patch.omitted] : "No diff.");
  }
  const lines = patch.text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  // the file headers (--- a/x, +++ b/x) repeat what the row says
  const body = lines.filter((line, index) => !(index < 2 && /^(---|\+\+\+) /.test(line)));
  if (body.length === 0) return h("p", { class: "patch-note muted" }, "Same content.");
  return h(
    "div",
    { class: "patch" },
    h(
      "pre",
      { class: "patch-lines" },
      body.map((line) => h("span", { class: `line ${lineKind(line)}` }, line, "\n")),
    ),
    patch.truncated ? h("p", { class: "patch-note muted" }, "Diff cut at 256 KB or 5000 lines.") : null,
  );
}

/** @param {string} line */
function lineKind(line) {
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "added";
  if (line.startsWith("-")) return "removed";
  if (line.startsWith("\\")) return "note";
  return "context";
}
