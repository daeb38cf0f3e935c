import { h, replace } from "./dom.js";
import { newTokenNotice } from "./new-token-notice.js";
import { tokenCreateForm } from "./token-create-form.js";
import { tokenTable } from "./token-table.js";

/**
 * `/settings/tokens`: the signed-in person's personal API tokens, for scripts, the CLI over HTTP and MCP clients.
 * Each carries the person's GitHub access (a read token starts no action); created here, shown once, revoked here.
 * @param {Element} root
 * @param {import("./sync-controls.js").PageContext} context
 */
export async function renderTokensView(root, context) {
  const first = await context.api.get("/me/tokens");
  document.title = "Personal API tokens · Project Sync";
  const list = h("div", { class: "token-list" });
  const fresh = h("div", { class: "new-token-slot" });
  const refresh = async () => {
    const page = await context.api.get("/me/tokens");
    replace(list, tokenTable(context, page.tokens, refresh));
  };
  const form = tokenCreateForm(context, {
    onCreated: (created) => {
      replace(fresh, newTokenNotice(created));
      refresh().catch(context.fail);
    },
  });
  replace(
    root,
    h("p", {}, h("a", { href: "/" }, "← All repositories")),
    h(
      "section",
      { class: "card tokens-view", "aria-labelledby": "tokens-title" },
      h("h2", { id: "tokens-title" }, "Personal API tokens"),
      h(
        "p",
        { class: "muted" },
        "For scripts, the command line over HTTP and MCP clients. A token sees what your GitHub account can read; a write token can also sync and restore where you have write access.",
      ),
      fresh,
      form,
    ),
    h("section", { class: "card" }, h("h3", {}, "Your tokens"), list),
  );
  replace(list, tokenTable(context, first.tokens, refresh));
}
