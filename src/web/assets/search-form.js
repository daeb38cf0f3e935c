import { h, replace } from "./dom.js";
import { shortId, shortSha, timeAgo } from "./format.js";

/** The branch selector's value for "every branch" (`*` is never part of a git branch name). */
const ALL_BRANCHES = "*";

/**
 * @typedef {object} SearchFormOptions
 * @property {import("./search-query.js").SearchQuery} query what the form starts with
 * @property {string | null} defaultBranch null when unknown
 * @property {any[]} syncs the repository's recent syncs, newest first (branches and as-of points come from them)
 * @property {(query: import("./search-query.js").SearchQuery) => void} onSearch
 */

/**
 * The search form: query, regex and case toggles, a path prefix or glob, a branch (tracked ones, or all branches) and an
 * as-of point (a successful sync of that branch, or its current memory).
 * @param {SearchFormOptions} options
 */
export function searchForm({ query, defaultBranch, syncs, onSearch }) {
  const input = h("input", {
    id: "search-q",
    type: "search",
    value: query.q,
    required: true,
    maxLength: 1000,
    autocomplete: "off",
    spellcheck: false,
  });
  const regex = h("input", { id: "search-regex", type: "checkbox", checked: query.regex });
  const caseSensitive = h("input", { id: "search-case", type: "checkbox", checked: query.caseSensitive });
  const path = h("input", {
    id: "search-path",
    type: "text",
    value: query.path,
    maxLength: 1000,
    placeholder: "src/ or src/**/*.ts",
    autocomplete: "off",
    spellcheck: false,
  });
  const branch = branchSelect(query, defaultBranch, syncs);
  const asOf = h("select", { id: "search-as-of" });
  const fillAsOf = (/** @type {string} */ selected) => {
    const chosen = branch.value === "" ? defaultBranch : branch.value;
    replace(asOf, asOfOptions(syncs, chosen, selected));
    asOf.value = selected;
    asOf.disabled = branch.value === ALL_BRANCHES;
  };
  fillAsOf(query.asOf);
  branch.addEventListener("change", () => fillAsOf(""));

  const form = h(
    "form",
    { class: "card search-form", role: "search" },
    field("search-q", "Search for", input, "search-query"),
    h(
      "div",
      { class: "row search-options" },
      h("label", { class: "check" }, regex, " Regular expression (RE2)"),
      h("label", { class: "check" }, caseSensitive, " Case-sensitive"),
    ),
    h(
      "div",
      { class: "row search-scope" },
      field("search-path", "Paths", path),
      field("search-branch", "Branch", branch),
      field("search-as-of", "As of", asOf),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button" }, "Search")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const all = branch.value === ALL_BRANCHES;
    onSearch({
      q: input.value,
      regex: regex.checked,
      caseSensitive: caseSensitive.checked,
      path: path.value.trim(),
      branch: all ? "" : branch.value,
      allBranches: all,
      asOf: all ? "" : asOf.value,
    });
  });
  return form;
}

/**
 * @param {string} id
 * @param {string} label
 * @param {HTMLElement} control
 * @param {string} [className]
 */
function field(id, label, control, className = "") {
  return h("div", { class: `field ${className}` }, h("label", { for: id }, label), control);
}

/**
 * The branches memory has syncs of (the default first), and "All branches".
 * @param {import("./search-query.js").SearchQuery} query
 * @param {string | null} defaultBranch
 * @param {any[]} syncs
 */
function branchSelect(query, defaultBranch, syncs) {
  const names = [...new Set(syncs.map((sync) => String(sync.branch)))].sort((a, b) => a.localeCompare(b));
  if (defaultBranch) names.unshift(defaultBranch);
  if (query.branch) names.push(query.branch); // a branch named in the URL, even unknown: the search says so
  const options = [...new Set(names)].map((name) =>
    h("option", { value: name }, name === defaultBranch ? `${name} (default)` : name),
  );
  const select = h(
    "select",
    { id: "search-branch" },
    defaultBranch ? null : h("option", { value: "" }, "default branch"),
    options,
    h("option", { value: ALL_BRANCHES }, "All branches (current memory)"),
  );
  select.value = query.allBranches ? ALL_BRANCHES : query.branch || defaultBranch || "";
  return select;
}

/**
 * "now" and the branch's successful syncs (every branch's when it is unknown), newest first.
 * @param {any[]} syncs
 * @param {string | null} branch
 * @param {string} selected a sync id from the URL, listed even when older than the syncs read
 */
function asOfOptions(syncs, branch, selected) {
  const points = syncs.filter(
    (sync) => sync.status === "succeeded" && (branch === null || sync.branch === branch),
  );
  return [
    h("option", { value: "" }, "now (current memory)"),
    points.map((sync) =>
      h(
        "option",
        { value: sync.id },
        `#${shortId(sync.id)} · ${shortSha(sync.headSha)} · ${timeAgo(sync.createdAt)}${branch === null ? ` · ${sync.branch}` : ""}`,
      ),
    ),
    selected && !points.some((sync) => sync.id === selected)
      ? h("option", { value: selected }, `#${shortId(selected)}`)
      : null,
  ];
}
