import { mayActOn } from "./account.js";
import { apiPath } from "./api.js";
import { compareLinks } from "./compare-picker.js";
import { h, replace } from "./dom.js";
import { followSync } from "./follow-sync.js";
import { duration, formatBytes, formatCounts, shortId, timeAgo } from "./format.js";
import { memoryList } from "./memory-list.js";
import { statusBadge, TERMINAL } from "./status-badge.js";
import { restoreButton } from "./sync-controls.js";
import { syncLink, timeElement } from "./sync-link.js";
import { createSyncProgress } from "./sync-progress.js";

/**
 * `/syncs/:syncId` (a check run's details link): everything about one sync, its live progress while it runs, a
 * restore control, and the files as they were after it.
 * @param {Element} root
 * @param {import("./sync-controls.js").PageContext & { apiBase: string }} context
 * @param {string} syncId
 */
export async function renderSyncDetail(root, context, syncId) {
  const body = await context.api.get(apiPath(["syncs", syncId]));
  const sync = body?.sync ?? body;
  const canAct = sync.status === "succeeded" && (await mayActOn(context, sync.repository));
  document.title = `Sync ${shortId(sync.id)} · ${sync.repository} · Project Sync`;

  const live = TERMINAL.has(sync.status)
    ? null
    : createSyncProgress({
        status: sync.status,
        phase: sync.phase,
        counts: sync.counts,
        progress: null,
        error: sync.error,
      });
  replace(
    root,
    h("p", {}, h("a", { href: "/" }, "← All repositories")),
    h(
      "article",
      { class: "card sync-detail", dataset: { syncId: sync.id, status: sync.status } },
      h(
        "header",
        { class: "row" },
        h("h2", {}, "Sync ", h("span", { class: "mono", title: sync.id }, `#${shortId(sync.id)}`)),
        statusBadge(sync.status),
        canAct ? restoreButton(context, sync) : null,
      ),
      h(
        "p",
        { class: "meta" },
        sync.repository,
        " · branch ",
        h("span", { class: "branch-name" }, sync.branch),
      ),
      sync.status === "succeeded" ? compareLinks(context, sync) : null,
      live?.element,
      details(sync),
    ),
    sync.status === "succeeded" ? memoryList(context, sync) : null,
  );

  if (live) {
    followSync({
      apiBase: context.apiBase,
      syncId: sync.id,
      signal: context.signal,
      onUpdate: live.update,
      // the final sync has what the events do not carry (finishedAt, generation, lineage): show it whole
      onEnd: () => {
        if (!context.signal.aborted) renderSyncDetail(root, context, syncId).catch(context.fail);
      },
      onError: context.fail,
    });
  }
}

/**
 * The sync's fields as a definition list.
 * @param {any} sync
 */
function details(sync) {
  /** @type {[string, import("./dom.js").Child | import("./dom.js").Child[]][]} */
  const rows = [
    ["Id", h("code", {}, sync.id)],
    ["Trigger", `${sync.trigger}${sync.full ? " (full resync)" : ""}`],
    ["Phase", sync.phase ?? "—"],
    ["Head", code(sync.headSha)],
    ["Head tree", code(sync.headTreeSha)],
    ["Base", [code(sync.baseSha), sync.baseSyncId ? [" from ", syncLink(sync.baseSyncId)] : null]],
    ["Previous sync", syncLink(sync.previousSyncId)],
    ["Generation", sync.generation ?? "—"],
    ["Restored from", syncLink(sync.restoredFromSyncId)],
    ["Changes", formatCounts(sync.counts)],
    [
      "Fetched",
      `${sync.stats.filesFetched} files, ${formatBytes(sync.stats.bytesFetched)}, ${sync.stats.githubRequests} GitHub requests`,
    ],
    ["Error", sync.error ? h("span", { class: "error" }, `${sync.error.code}: ${sync.error.message}`) : "—"],
    ["Check run", sync.checkRunId === null ? "—" : String(sync.checkRunId)],
    ["Requested by", sync.requestedBy ?? "—"],
    ["Delivery", code(sync.deliveryId)],
    ["Created", timeElement(sync.createdAt, (iso) => `${timeAgo(iso)} (${iso})`)],
    ["Started", timeElement(sync.startedAt, (iso) => `${timeAgo(iso)} (${iso})`)],
    ["Finished", timeElement(sync.finishedAt, (iso) => `${timeAgo(iso)} (${iso})`)],
    ["Duration", duration(sync.startedAt, sync.finishedAt)],
  ];
  return h(
    "dl",
    { class: "fields" },
    rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
  );
}

/** @param {string | null | undefined} value */
function code(value) {
  return value ? h("code", {}, value) : "—";
}
