import { apiPath } from "./api.js";
import { h, replace } from "./dom.js";
import { fileLink } from "./file-link.js";
import { patchView } from "./patch-view.js";
import { syncLink } from "./sync-link.js";

const PAGE_SIZE = 50;
const LETTER = { added: "A", removed: "D", modified: "M", mode: "M", type: "T", renamed: "R" };

/**
 * `/syncs/:syncId/changes` (`to` null: what the sync changed) and `/syncs/:from/compare/:to`: the changed paths with
 * their status and, per file, the unified diff as text lines; paged.
 * @param {Element} root
 * @param {import("./sync-controls.js").PageContext} context
 * @param {{ from: string, to: string | null }} syncs
 */
export async function renderComparison(root, context, syncs) {
  /** @param {string | null} cursor */
  const fetchPage = (cursor) =>
    context.api.get(
      syncs.to === null
        ? apiPath(["syncs", syncs.from, "changes"], { diff: "true", limit: PAGE_SIZE, cursor })
        : apiPath(["syncs", syncs.from, "compare", syncs.to], { diff: "true", limit: PAGE_SIZE, cursor }),
    );
  const first = await fetchPage(null);
  document.title = `${syncs.to === null ? "Changes" : "Compare"} · ${first.repository} · Project Sync`;
  const list = h("ol", { class: "changes" });
  const more = h("button", { type: "button", class: "button secondary", hidden: true }, "Load more");
  let cursor = first.nextCursor;
  /** @param {any} page */
  const show = (page) => {
    for (const change of page.changes) list.append(changeItem(page, change));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => {
    fetchPage(cursor).then(show, context.fail);
  });
  replace(
    root,
    h(
      "p",
      {},
      h("a", { href: `/syncs/${encodeURIComponent(first.to.id)}` }, "← Sync"),
      " · ",
      h("a", { href: "/" }, "All repositories"),
    ),
    h(
      "article",
      { class: "card comparison", dataset: { from: first.from?.id ?? "", to: first.to.id } },
      h(
        "h2",
        {},
        syncs.to === null ? "Changes of sync " : "Compare ",
        syncs.to === null ? syncLink(first.to.id) : [side(first.from), " → ", side(first.to)],
      ),
      h(
        "p",
        { class: "meta" },
        first.repository,
        first.from === null ? " · the branch's first sync: every file is new" : null,
      ),
      h("p", { class: "totals" }, totalsText(first.totals)),
      first.renames.reason ? h("p", { class: "muted" }, first.renames.reason) : null,
      first.totals && Object.values(first.totals).every((count) => count === 0)
        ? h("p", { class: "muted" }, "No changes.")
        : null,
    ),
    list,
    more,
  );
  show(first);
}

/** @param {any} ref */
function side(ref) {
  if (!ref) return h("span", { class: "muted" }, "nothing");
  return h("span", {}, syncLink(ref.id), " ", h("span", { class: "branch-name" }, ref.branch));
}

/** @param {Record<string, number>} totals */
function totalsText(totals) {
  return (
    Object.entries(totals)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => `${count} ${status}`)
      .join(" · ") || "no changes"
  );
}

/**
 * @param {any} page
 * @param {any} change
 */
function changeItem(page, change) {
  const letter = LETTER[/** @type {keyof typeof LETTER} */ (change.status)] ?? "?";
  const code = change.status === "renamed" ? `R${String(change.similarity).padStart(3, "0")}` : letter;
  // a removed file exists only on the old side
  const link =
    change.new === null && page.from
      ? fileLink(page.repository, change.path, page.from.id)
      : fileLink(page.repository, change.path, page.to.id);
  return h(
    "li",
    { class: `change ${change.status}`, dataset: { path: change.path, status: change.status } },
    h(
      "div",
      { class: "row change-head" },
      h("span", { class: `status-code ${change.status}`, title: change.status }, code),
      change.previousPath ? [h("span", { class: "path previous" }, change.previousPath), " → "] : null,
      h("span", { class: "path" }, link),
      change.old && change.new && change.old.mode !== change.new.mode
        ? h("span", { class: "tag" }, `${change.old.mode} → ${change.new.mode}`)
        : null,
    ),
    patchView(change.patch),
  );
}
