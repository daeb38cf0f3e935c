/**
 * The search page's state, kept in its URL (`/repos/:owner/:repo/search?q=…`) so a search can be linked and reloaded.
 * The parameters are the search API's own: q, regex, case, path, branch, allBranches, asOf.
 */

/**
 * @typedef {object} SearchQuery
 * @property {string} q
 * @property {boolean} regex
 * @property {boolean} caseSensitive
 * @property {string} path a prefix or glob; "" for every path
 * @property {string} branch "" for the default branch
 * @property {boolean} allBranches
 * @property {string} asOf a successful sync's id; "" for the branch's current memory
 */

/**
 * @param {URLSearchParams} params
 * @returns {SearchQuery}
 */
export function readSearchQuery(params) {
  const allBranches = params.get("allBranches") === "true";
  return {
    q: params.get("q") ?? "",
    regex: params.get("regex") === "true",
    caseSensitive: params.get("case") !== "insensitive",
    path: params.get("path") ?? "",
    branch: allBranches ? "" : (params.get("branch") ?? ""),
    allBranches,
    asOf: allBranches ? "" : (params.get("asOf") ?? ""),
  };
}

/**
 * The query as the API's (and the page's URL's) parameters; defaults are left out.
 * @param {SearchQuery} query
 * @returns {Record<string, string | undefined>}
 */
export function searchParams(query) {
  return {
    q: query.q,
    regex: query.regex ? "true" : undefined,
    case: query.caseSensitive ? undefined : "insensitive",
    path: query.path || undefined,
    branch: query.allBranches ? undefined : query.branch || undefined,
    allBranches: query.allBranches ? "true" : undefined,
    asOf: query.allBranches ? undefined : query.asOf || undefined,
  };
}

/**
 * The page of a search, e.g. `/repos/o/r/search?q=needle&regex=true`.
 * @param {string} owner
 * @param {string} name
 * @param {SearchQuery} query
 */
export function searchPageUrl(owner, name, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams(query))) if (value) params.set(key, value);
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/search?${params}`;
}
