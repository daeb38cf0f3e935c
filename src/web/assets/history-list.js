import { apiPath } from "./api.js";
import { h, replace } from "./dom.js";
import { duration, formatCounts, shortSha, timeAgo } from "./format.js";
import { statusBadge, TERMINAL } from "./status-badge.js";
import { restoreButton } from "./sync-controls.js";
import { syncLink, timeElement } from "./sync-link.js";

const PAGE_SIZE = 20;

/**
 * A repository's sync history, newest first, with lineage (previous sync, generation, base) and "Load more" paging;
 * an optional branch filter. Successful syncs can be restored (`canAct`: unless the person may only read).
 * @param {import("./sync-controls.js").PageContext} context
 * @param {{ owner: string, name: string, branches: string[], canAct: boolean }} options
 */
export function historyList(context, { owner, name, branches, canAct }) {
  const list = h("ol", { class: "history" });
  const more = h("button", { type: "button", class: "button secondary", hidden: true }, "Load more");
  const filter = h(
    "select",
    { "aria-label": "Branch" },
    h("option", { value: "" }, "all branches"),
    branches.map((branch) => h("option", { value: branch }, branch)),
  );
  const element = h(
    "section",
    { class: "history-section" },
    h("header", { class: "row" }, h("h3", {}, "History"), filter),
    list,
    more,
  );
  /** @type {string | null} */
  let cursor = null;
  /** @type {string | null} */
  let newest = null;
  let generation = 0;

  /** @param {boolean} reset */
  async function load(reset) {
    const mine = reset ? ++generation : generation;
    try {
      const page = await context.api.get(
        apiPath(["repos", owner, name, "syncs"], {
          branch: filter.value,
          limit: PAGE_SIZE,
          cursor: reset ? null : cursor,
        }),
      );
      if (mine !== generation) return;
      if (reset) {
        replace(list);
        newest = page.syncs[0]?.id ?? null;
      }
      for (const sync of page.syncs) list.append(historyItem(context, sync, canAct));
      if (reset && page.syncs.length === 0) list.append(h("li", { class: "muted" }, "No syncs yet."));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) {
      context.fail(error);
    }
  }

  filter.addEventListener("change", () => load(true));
  more.addEventListener("click", () => load(false));
  load(true);
  return {
    element,
    /** reloads the first page */
    refresh: () => load(true),
    /** the id of the newest sync shown (to notice syncs started elsewhere) */
    newest: () => newest,
  };
}

/**
 * One sync in the history.
 * @param {import("./sync-controls.js").PageContext} context
 * @param {any} sync
 * @param {boolean} canAct the Restore button is offered
 */
function historyItem(context, sync, canAct) {
  const base = sync.baseSha
    ? [
        "base ",
        h("code", { title: sync.baseSha }, shortSha(sync.baseSha)),
        sync.baseSyncId ? " " : "",
        sync.baseSyncId ? syncLink(sync.baseSyncId) : null,
      ]
    : ["no base"];
  return h(
    "li",
    { class: "card history-item", dataset: { syncId: sync.id, status: sync.status } },
    h(
      "div",
      { class: "row" },
      syncLink(sync.id),
      statusBadge(sync.status),
      h("span", { class: "branch-name" }, sync.branch),
      h("span", { class: "muted" }, `${sync.trigger}${sync.full ? " · full" : ""}`),
      sync.status === "succeeded" && canAct ? restoreButton(context, sync) : null,
    ),
    h(
      "p",
      { class: "meta lineage" },
      "head ",
      h("code", { title: sync.headSha ?? "" }, shortSha(sync.headSha)),
      " · ",
      ...base,
      " · generation ",
      sync.generation ?? "—",
      " · previous ",
      syncLink(sync.previousSyncId),
      sync.restoredFromSyncId ? [" · restored from ", syncLink(sync.restoredFromSyncId)] : null,
    ),
    h(
      "p",
      { class: "meta" },
      TERMINAL.has(sync.status) ? formatCounts(sync.counts) : "in progress",
      " · ",
      timeElement(sync.createdAt, (iso) => timeAgo(iso)),
      sync.finishedAt ? ` · took ${duration(sync.startedAt, sync.finishedAt)}` : "",
    ),
  );
}
