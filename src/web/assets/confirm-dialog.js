import { h } from "./dom.js";

/**
 * @typedef {object} ConfirmOptions
 * @property {string} title
 * @property {(string | Node)[]} message text or nodes (data as text only)
 * @property {string} confirmLabel the button that goes ahead, e.g. "Start full resync"
 */

/**
 * Asks before doing something (a modal <dialog>, never `confirm()`); resolves true when the user goes ahead.
 * @param {ConfirmOptions} options
 * @returns {Promise<boolean>}
 */
export function confirmAction({ title, message, confirmLabel }) {
  return new Promise((resolve) => {
    const cancel = h("button", { type: "button", class: "button secondary", value: "cancel" }, "Cancel");
    const confirm = h("button", { type: "submit", class: "button", value: "confirm" }, confirmLabel);
    const dialog = h(
      "dialog",
      { class: "confirm", "aria-labelledby": "confirm-title" },
      h(
        "form",
        { method: "dialog" },
        h("h2", { id: "confirm-title" }, title),
        h("p", {}, ...message),
        h("div", { class: "actions" }, cancel, confirm),
      ),
    );
    cancel.addEventListener("click", () => dialog.close("cancel"));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "confirm");
    });
    document.body.append(dialog);
    dialog.showModal();
    confirm.focus();
  });
}
