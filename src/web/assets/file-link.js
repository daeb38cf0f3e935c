import { h } from "./dom.js";

/**
 * A link to a file's page (`/repos/:owner/:repo/file?path=&asOf=`): the file as it was right after a sync.
 * @param {string} repository "owner/name"
 * @param {string} path
 * @param {string} asOf a successful sync's id
 * @param {import("./dom.js").Child} [label] the path when absent
 */
export function fileLink(repository, path, asOf, label) {
  const [owner = "", name = ""] = repository.split("/");
  const query = new URLSearchParams({ path, asOf }).toString();
  const href = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/file?${query}`;
  return h("a", { href, class: "file-link" }, label ?? path);
}
