import { ApiError, apiPath } from "./api.js";
import { h, replace } from "./dom.js";
import { inboxNotice } from "./inbox-notice.js";
import { repoSection } from "./repo-section.js";
import { webhooksPanel } from "./webhooks-panel.js";

/**
 * `/`: every synced repository with its branches, controls and history.
 * @param {Element} root
 * @param {import("./sync-controls.js").PageContext & { apiBase: string }} context
 */
export async function renderHome(root, context) {
  const [page, notice, webhooks] = await Promise.all([
    context.api.get("/repos"),
    operatorPanel(inboxNotice(context)),
    operatorPanel(webhooksPanel(context)),
  ]);
  document.title = "Project Sync";
  if (page.repos.length === 0) {
    replace(
      root,
      notice,
      webhooks,
      h(
        "section",
        { class: "card" },
        h("h2", {}, "No repositories yet"),
        h(
          "p",
          {},
          "Install the GitHub App on a repository (or run ",
          h("code", {}, "npm run cli -- sync owner/repo"),
          "): it appears here.",
        ),
      ),
    );
    return;
  }
  const more = h("button", { type: "button", class: "button secondary", hidden: true }, "More repositories");
  const repos = h("div", { class: "repos" });
  /** @param {any} listing */
  const show = (listing) => {
    repos.append(...listing.repos.map((/** @type {any} */ repo) => repoSection(context, repo)));
    more.hidden = !listing.nextCursor;
    more.onclick = async () => {
      try {
        show(await context.api.get(apiPath(["repos"], { cursor: listing.nextCursor })));
      } catch (error) {
        context.fail(error);
      }
    };
  };
  replace(root, notice, repos, more, webhooks);
  show(page);
}

/**
 * A panel only the operator may see (the webhook inbox, outbound webhooks): nothing for someone signed in with GitHub,
 * whom those routes refuse (403).
 * @template T
 * @param {Promise<T>} panel
 * @returns {Promise<T | null>}
 */
async function operatorPanel(panel) {
  try {
    return await panel;
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null;
    throw error;
  }
}
