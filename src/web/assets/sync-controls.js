import { apiPath } from "./api.js";
import { confirmAction } from "./confirm-dialog.js";
import { h } from "./dom.js";
import { shortId } from "./format.js";

/**
 * @typedef {object} PageContext
 * @property {import("./api.js").Api} api
 * @property {AbortSignal} signal aborted when the view is replaced
 * @property {(error: unknown) => void} fail shows an error (and the token form on 401)
 * @property {import("./account.js").Account} [account] who is using the page (sign in with GitHub)
 */

/**
 * "Sync" and "Full resync" for a branch, each confirmed first; `onStarted` gets the queued sync. Not offered where the
 * signed-in person may only read (`canAct` false): a line says why instead.
 * @param {PageContext} context
 * @param {{ owner: string, name: string, branch: string, canAct: boolean, onStarted: (sync: any) => void }} target
 */
export function syncControls(context, { owner, name, branch, canAct, onStarted }) {
  if (!canAct) return readOnlyNote();
  /** @param {boolean} full */
  const start = async (full) => {
    const ok = await confirmAction({
      title: full ? "Full resync" : "Sync",
      message: full
        ? [
            "Re-read every file of ",
            h("code", {}, branch),
            ` in ${owner}/${name} from GitHub, trusting nothing stored?`,
          ]
        : ["Sync ", h("code", {}, branch), ` in ${owner}/${name} to its head on GitHub now?`],
      confirmLabel: full ? "Start full resync" : "Start sync",
    });
    if (!ok) return;
    try {
      const body = await context.api.post(apiPath(["repos", owner, name, "syncs"]), { branch, full });
      onStarted(body?.sync ?? body);
    } catch (error) {
      context.fail(error);
    }
  };
  return h(
    "div",
    { class: "actions" },
    h("button", { type: "button", class: "button", onclick: () => start(false) }, "Sync"),
    h("button", { type: "button", class: "button secondary", onclick: () => start(true) }, "Full resync"),
  );
}

/**
 * "Restore" for a past successful sync: confirmed, then the branch is brought back to that state by a new sync,
 * whose page opens.
 * @param {PageContext} context
 * @param {any} sync
 */
export function restoreButton(context, sync) {
  const restore = async () => {
    const ok = await confirmAction({
      title: "Restore",
      message: [
        "Bring ",
        h("code", {}, sync.branch),
        ` in ${sync.repository} back to its memory after sync #${shortId(sync.id)} (head ${String(sync.headSha ?? "").slice(0, 7)})? A new sync records the change; nothing is lost.`,
      ],
      confirmLabel: "Restore",
    });
    if (!ok) return;
    try {
      const body = await context.api.post(apiPath(["syncs", sync.id, "restore"]), {});
      const restored = body?.sync ?? body;
      location.assign(`/syncs/${encodeURIComponent(restored.id)}`);
    } catch (error) {
      context.fail(error);
    }
  };
  return h("button", { type: "button", class: "button secondary small", onclick: restore }, "Restore");
}

/** Why a signed-in person sees no actions on a repository they can only read. */
export function readOnlyNote() {
  return h(
    "p",
    { class: "muted read-only-note" },
    "You can read this repository on GitHub; syncing and restoring need write access.",
  );
}

/**
 * "Purge" for a repository the app was uninstalled from: confirmed, then its memory and history are deleted.
 * `onPurged` runs once the server has deleted them.
 * @param {PageContext} context
 * @param {{ owner: string, name: string, onPurged: () => void }} target
 */
export function purgeButton(context, { owner, name, onPurged }) {
  const purge = async () => {
    const ok = await confirmAction({
      title: "Purge",
      message: [
        "Delete the memory and history of ",
        h("code", {}, `${owner}/${name}`),
        " (every branch's files and every sync)? This cannot be undone.",
      ],
      confirmLabel: "Purge",
    });
    if (!ok) return;
    try {
      await context.api.post(apiPath(["repos", owner, name, "purge"]), {});
      onPurged();
    } catch (error) {
      context.fail(error);
    }
  };
  return h("button", { type: "button", class: "button secondary small", onclick: purge }, "Purge");
}
