import { apiPath } from "./api.js";
import { h, replace } from "./dom.js";
import { fileLink } from "./file-link.js";
import { formatBytes, shortSha } from "./format.js";

const PAGE_SIZE = 100;

/**
 * The files of a branch's memory as they were right after a sync (`asOf`), filtered by a path prefix, paged; files
 * this sync wrote are marked.
 * @param {import("./sync-controls.js").PageContext} context
 * @param {any} sync a successful sync
 */
export function memoryList(context, sync) {
  const [owner = "", name = ""] = String(sync.repository).split("/");
  const list = h("ul", { class: "files" });
  const prefix = h("input", {
    id: "path-prefix",
    type: "search",
    placeholder: "path prefix, e.g. src/",
    autocomplete: "off",
    spellcheck: false,
  });
  const form = h(
    "form",
    { class: "row filter", role: "search" },
    h("label", { for: "path-prefix", class: "visually-hidden" }, "Path prefix"),
    prefix,
    h("button", { type: "submit", class: "button secondary" }, "Filter"),
  );
  const more = h("button", { type: "button", class: "button secondary", hidden: true }, "Load more");
  const element = h(
    "section",
    { class: "memory" },
    h("h2", {}, "Files after this sync"),
    h(
      "p",
      { class: "muted" },
      "Files marked ",
      h("span", { class: "tag" }, "written here"),
      " were written by this sync.",
    ),
    form,
    list,
    more,
  );
  /** @type {string | null} */
  let cursor = null;
  let generation = 0;

  /** @param {boolean} reset */
  async function load(reset) {
    const mine = reset ? ++generation : generation;
    try {
      const page = await context.api.get(
        apiPath(["repos", owner, name, "memory"], {
          branch: sync.branch,
          asOf: sync.id,
          path: prefix.value,
          limit: PAGE_SIZE,
          cursor: reset ? null : cursor,
        }),
      );
      if (mine !== generation) return;
      if (reset) replace(list);
      for (const entry of page.entries) list.append(fileItem(entry, sync));
      if (reset && page.entries.length === 0) list.append(h("li", { class: "muted" }, "No files."));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) {
      context.fail(error);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(true);
  });
  more.addEventListener("click", () => load(false));
  load(true);
  return element;
}

/**
 * @param {any} entry
 * @param {any} sync
 */
function fileItem(entry, sync) {
  const syncId = sync.id;
  return h(
    "li",
    { class: "file", dataset: { path: entry.path } },
    h("span", { class: "path" }, fileLink(sync.repository, entry.path, syncId)),
    h(
      "span",
      { class: "meta" },
      entry.syncId === syncId ? h("span", { class: "tag" }, "written here") : null,
      entry.omitted ? h("span", { class: "tag" }, entry.omitted.replace("_", " ")) : null,
      ` ${formatBytes(entry.size)} · `,
      h("code", { title: entry.blobSha }, shortSha(entry.blobSha)),
    ),
  );
}
