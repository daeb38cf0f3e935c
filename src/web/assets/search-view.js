import { ApiError, apiPath } from "./api.js";
import { h, replace } from "./dom.js";
import { duration } from "./format.js";
import { searchForm } from "./search-form.js";
import { searchPageUrl, searchParams } from "./search-query.js";
import { searchResult } from "./search-results.js";

const PAGE_SIZE = 20;
// the syncs read for the branch and as-of selectors (a database read)
const SYNCS_LISTED = 500;
const NOT_SEARCHED = { binary: "binary", tooLarge: "too large", submodule: "submodule", symlink: "symlink" };

/**
 * `/repos/:owner/:repo/search?q=&regex=&case=&path=&branch=&allBranches=&asOf=`: the search form and, when the URL
 * holds a query, its results, paged with the API's cursor. The URL is the state: a search can be linked and reloaded.
 * @param {Element} root
 * @param {import("./sync-controls.js").PageContext} context
 * @param {{ owner: string, name: string, query: import("./search-query.js").SearchQuery }} target
 */
export async function renderSearchView(root, context, { owner, name, query }) {
  const [history, repos] = await Promise.all([
    context.api.get(apiPath(["repos", owner, name, "syncs"], { limit: SYNCS_LISTED })),
    context.api.get(apiPath(["repos"], { limit: 500 })),
  ]);
  const repo = repos.repos.find((/** @type {any} */ each) => each.fullName === `${owner}/${name}`);
  document.title = `${query.q ? `${query.q} · ` : ""}Search · ${owner}/${name} · Project Sync`;
  const results = h("section", { class: "search-results", "aria-live": "polite" });
  replace(
    root,
    h("p", {}, h("a", { href: "/" }, "All repositories")),
    h("h2", {}, "Search ", h("span", { class: "mono" }, `${owner}/${name}`)),
    searchForm({
      query,
      defaultBranch: repo?.defaultBranch ?? null,
      syncs: history.syncs,
      onSearch: (next) => location.assign(searchPageUrl(owner, name, next)),
    }),
    results,
  );
  if (query.q) await showResults(results, context, { owner, name, query, syncs: history.syncs });
}

/**
 * Runs the search and shows its pages; an error of the search itself (a bad regex, an unknown branch) is shown as text
 * in place of the results.
 * @param {HTMLElement} results
 * @param {import("./sync-controls.js").PageContext} context
 * @param {{ owner: string, name: string, query: import("./search-query.js").SearchQuery, syncs: any[] }} target
 */
async function showResults(results, context, { owner, name, query, syncs }) {
  /** @param {string | null} cursor */
  const fetchPage = (cursor) =>
    context.api.get(
      apiPath(["repos", owner, name, "search"], { ...searchParams(query), limit: PAGE_SIZE, cursor }),
    );
  replace(results, h("p", { class: "muted" }, "Searching…"));
  let first;
  try {
    first = await fetchPage(null);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 401 || error.status === 0) throw error;
    replace(results, h("p", { class: "error search-error", role: "alert" }, error.message));
    return;
  }
  const list = h("ol", { class: "search-hits" });
  const status = h("div", { class: "search-status" });
  const more = h("button", { type: "button", class: "button secondary search-more" }, "More results");
  const link = {
    owner,
    name,
    asOf: first.scope.asOfSyncId,
    branch: first.scope.branch,
    allBranches: query.allBranches,
  };
  let shown = 0;
  /** @type {string | null} */
  let cursor = null;
  /** @param {any} page */
  const show = (page) => {
    list.append(...page.results.map((/** @type {any} */ result) => searchResult(result, link)));
    shown += page.results.length;
    cursor = page.nextCursor;
    more.hidden = !cursor;
    replace(status, statusLines(page, shown));
  };
  more.addEventListener("click", () => {
    more.disabled = true;
    fetchPage(cursor)
      .then(show, context.fail)
      .finally(() => {
        more.disabled = false;
      });
  });
  replace(results, summary(first, query, syncs), list, status, more);
  show(first);
}

/**
 * How the search ran and what it could not read.
 * @param {any} page the first page
 * @param {import("./search-query.js").SearchQuery} query
 * @param {any[]} syncs the syncs the selectors were built from
 */
function summary(page, query, syncs) {
  const counts = page.notSearched ?? {};
  const skipped = Object.entries(NOT_SEARCHED)
    .filter(([key]) => counts[key] > 0)
    .map(([key, label]) => `${counts[key]} ${label}`);
  return h(
    "div",
    { class: "search-summary meta" },
    h(
      "p",
      {},
      query.allBranches ? "Every branch's current memory" : `Branch ${page.scope.branch}`,
      page.scope.asOfSyncId ? ` as of sync #${String(page.scope.asOfSyncId).slice(0, 8)}` : "",
      " · ",
      h(
        "span",
        { class: "search-method", dataset: { method: page.method } },
        page.method === "trigram" ? "through the trigram index" : "by scanning every file",
        page.scanReason ? ` (${page.scanReason})` : "",
      ),
      ` · ${page.elapsedMs} ms`,
    ),
    h(
      "p",
      { class: "search-coverage muted" },
      skipped.length > 0
        ? `Not searched: ${skipped.join(", ")} (no text stored or not a file)`
        : "Every file in scope was searched.",
    ),
    indexLag(page, syncs),
  );
}

/**
 * How long after the searched sync the trigram index held all of it (`searchableAt`), or that it is catching up: the
 * search is complete either way (what is not indexed yet is scanned), only slower.
 * @param {any} page the first page
 * @param {any[]} syncs the syncs the selectors were built from
 */
function indexLag(page, syncs) {
  if (page.scope.branch === null) return null;
  const sync = page.scope.asOfSyncId
    ? syncs.find((each) => each.id === page.scope.asOfSyncId)
    : syncs.find((each) => each.branch === page.scope.branch && each.status === "succeeded");
  if (!sync?.finishedAt) return null;
  return h(
    "p",
    { class: "search-lag muted", dataset: { searchable: sync.searchableAt ? "true" : "false" } },
    !sync.searchableAt
      ? "The index is still catching up with this sync: what it does not hold yet is scanned."
      : Date.parse(sync.searchableAt) <= Date.parse(sync.finishedAt)
        ? "The index held everything when the sync finished."
        : `The index held everything ${duration(sync.finishedAt, sync.searchableAt)} after the sync finished.`,
  );
}

/**
 * "N files" and, when the time budget cut the page, that the results are partial.
 * @param {any} page the newest page
 * @param {number} shown files shown so far
 */
function statusLines(page, shown) {
  return [
    h(
      "p",
      { class: "search-count" },
      shown === 0 && !page.nextCursor ? "No matches." : `${shown} file${shown === 1 ? "" : "s"} shown`,
      page.nextCursor && !page.partial ? "; more may match." : ".",
    ),
    page.partial
      ? h(
          "p",
          { class: "notice search-partial", role: "status" },
          "Partial: the search ran out of time before this page was full. These are the files found so far; ",
          "“More results” goes on from where it stopped.",
        )
      : null,
  ];
}
