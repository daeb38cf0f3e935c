import { h, replace } from "./dom.js";
import { followSync } from "./follow-sync.js";
import { formatCounts, shortSha, timeAgo } from "./format.js";
import { statusBadge, TERMINAL } from "./status-badge.js";
import { syncControls } from "./sync-controls.js";
import { syncLink, timeElement } from "./sync-link.js";
import { createSyncProgress } from "./sync-progress.js";

/**
 * One branch and its current state (the seed's SyncBanner) with its SyncControls; a queued or running sync shows
 * live progress until it ends. `onStarted` runs when a sync was started here, `onSettled` when the followed sync ended.
 * @param {import("./sync-controls.js").PageContext & { apiBase: string }} context
 * @param {{ owner: string, name: string, branch: any, canAct: boolean, onStarted: () => void, onSettled: () => void }} options
 *   `canAct`: the actions are offered (false: a person with read access only)
 */
export function branchCard(context, { owner, name, branch, canAct, onStarted, onSettled }) {
  const state = h("div", { class: "branch-state" });
  const card = h(
    "article",
    { class: "card branch", dataset: { branch: branch.name } },
    h(
      "header",
      { class: "row" },
      h("h3", { class: "branch-name" }, branch.name),
      branch.isDefault ? h("span", { class: "tag" }, "default") : null,
      branch.protected ? h("span", { class: "tag" }, "protected") : null,
    ),
    h(
      "p",
      { class: "meta" },
      "head ",
      h("code", { title: branch.headSha }, shortSha(branch.headSha)),
      " · ",
      branch.inSync
        ? h("span", { class: "in-sync" }, "memory in sync")
        : h("span", { class: "behind" }, "memory behind"),
    ),
    state,
    syncControls(context, {
      owner,
      name,
      branch: branch.name,
      canAct,
      onStarted: (sync) => {
        show(sync);
        onStarted();
      },
    }),
  );

  /** @type {AbortController | null} */
  let live = null;

  /** @param {any} sync the branch's latest sync, or null */
  function show(sync) {
    live?.abort();
    live = null;
    if (!sync) {
      replace(state, h("p", { class: "muted" }, "Never synced."));
      return;
    }
    const ended = TERMINAL.has(sync.status);
    const summary = h(
      "p",
      { class: "last-sync" },
      ended ? "Last sync " : "Syncing ",
      syncLink(sync.id),
      " ",
      ended ? statusBadge(sync.status) : null,
      ` ${sync.trigger}${sync.full ? " (full)" : ""} · `,
      timeElement(sync.finishedAt ?? sync.startedAt ?? sync.createdAt, (iso) => timeAgo(iso)),
    );
    if (ended) {
      replace(
        state,
        summary,
        h("p", { class: "counts" }, formatCounts(sync.counts)),
        sync.error ? h("p", { class: "error" }, `${sync.error.code}: ${sync.error.message}`) : null,
      );
      return;
    }
    const progress = createSyncProgress({
      status: sync.status,
      phase: sync.phase,
      counts: sync.counts,
      progress: null,
      error: sync.error,
    });
    replace(state, summary, progress.element);
    const controller = new AbortController();
    live = controller;
    const stop = () => controller.abort();
    context.signal.addEventListener("abort", stop, { once: true });
    followSync({
      apiBase: context.apiBase,
      syncId: sync.id,
      signal: controller.signal,
      onUpdate: progress.update,
      onEnd: () => {
        context.signal.removeEventListener("abort", stop);
        onSettled();
      },
      onError: context.fail,
    });
  }

  show(branch.lastSync);
  return card;
}
