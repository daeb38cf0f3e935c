import { apiPath } from "./api.js";
import { confirmAction } from "./confirm-dialog.js";
import { h } from "./dom.js";
import { timeAgo } from "./format.js";
import { timeElement } from "./sync-link.js";

/**
 * A person's live tokens (never the secrets): name, scope, created, last used, expiry, and Revoke (confirmed first).
 * @param {import("./sync-controls.js").PageContext} context
 * @param {any[]} tokens
 * @param {() => Promise<void>} refresh runs after a revoke
 */
export function tokenTable(context, tokens, refresh) {
  if (tokens.length === 0) return h("p", { class: "muted" }, "No tokens yet.");
  const when = (/** @type {string | null} */ iso, /** @type {string} */ none) =>
    iso ? timeElement(iso, (value) => timeAgo(value)) : h("span", { class: "muted" }, none);
  return h(
    "table",
    { class: "tokens-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Name", "Scope", "Created", "Last used", "Expires"].map((title) => h("th", { scope: "col" }, title)),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")),
      ),
    ),
    h(
      "tbody",
      {},
      tokens.map((/** @type {any} */ token) =>
        h(
          "tr",
          { dataset: { tokenId: token.id } },
          h("td", { class: "token-name" }, token.name),
          h("td", {}, h("span", { class: `tag scope-${token.scope}` }, token.scope)),
          h("td", {}, when(token.createdAt, "—")),
          h("td", {}, when(token.lastUsedAt, "never")),
          h("td", {}, when(token.expiresAt, "never")),
          h("td", {}, revokeButton(context, token, refresh)),
        ),
      ),
    ),
  );
}

/**
 * @param {import("./sync-controls.js").PageContext} context
 * @param {any} token
 * @param {() => Promise<void>} refresh
 */
function revokeButton(context, token, refresh) {
  const revoke = async () => {
    const ok = await confirmAction({
      title: "Revoke token",
      message: [
        "Revoke ",
        h("strong", {}, token.name),
        "? Anything that uses it is refused from now on; this cannot be undone.",
      ],
      confirmLabel: "Revoke",
    });
    if (!ok) return;
    try {
      await context.api.delete(apiPath(["me", "tokens", token.id]));
      await refresh();
    } catch (error) {
      context.fail(error);
    }
  };
  return h("button", { type: "button", class: "button secondary small", onclick: revoke }, "Revoke");
}
