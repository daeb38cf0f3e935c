import { mayAct, mayPurge } from "./account.js";
import { apiPath } from "./api.js";
import { branchCard } from "./branch-card.js";
import { h, replace } from "./dom.js";
import { historyList } from "./history-list.js";
import { purgeButton } from "./sync-controls.js";

// Syncs started elsewhere (a push, a comment, the CLI) are noticed by polling the newest sync: a database read, unlike
// the branch list, which asks GitHub.
const POLL_MS = 5000;

/**
 * One repository: its branches with their state and controls, and its history.
 * @param {import("./sync-controls.js").PageContext & { apiBase: string }} context
 * @param {any} repo
 */
export function repoSection(context, repo) {
  const [owner = "", name = ""] = repoFullName(repo).split("/");
  const canAct = mayAct(repo);
  const branches = h("div", { class: "branches" }, h("p", { class: "muted" }, "Loading branches…"));
  const history = h("div");
  const section = h(
    "section",
    { class: "repo", dataset: { repo: `${owner}/${name}` } },
    h(
      "header",
      { class: "row" },
      h("h2", {}, `${owner}/${name}`),
      repo.active === false ? h("span", { class: "tag" }, "app not installed") : null,
      repo.active === false && mayPurge(repo)
        ? purgeButton(context, { owner, name, onPurged: () => section.remove() })
        : null,
      h(
        "a",
        {
          href: `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/search`,
          class: "button secondary small search-link",
        },
        "Search",
      ),
    ),
    branches,
    history,
  );

  /** @type {ReturnType<typeof historyList> | null} */
  let historyView = null;
  /** @type {AbortController | null} */
  let cards = null;

  async function refresh() {
    cards?.abort();
    const controller = new AbortController();
    cards = controller;
    context.signal.addEventListener("abort", () => controller.abort(), { once: true });
    const cardContext = { ...context, signal: controller.signal };
    try {
      const page = await context.api.get(apiPath(["repos", owner, name, "branches"]));
      if (controller.signal.aborted) return;
      // the default branch first, then by name
      page.branches.sort(
        (/** @type {any} */ a, /** @type {any} */ b) =>
          Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name),
      );
      replace(
        branches,
        page.branches.length === 0 ? h("p", { class: "muted" }, "No branches.") : null,
        page.branches.map((/** @type {any} */ branch) =>
          branchCard(cardContext, {
            owner,
            name,
            branch,
            canAct,
            onStarted: () => historyView?.refresh(),
            onSettled: () => refresh(),
          }),
        ),
      );
      if (historyView) historyView.refresh();
      else {
        historyView = historyList(context, {
          owner,
          name,
          canAct,
          branches: page.branches.map((/** @type {any} */ branch) => branch.name),
        });
        replace(history, historyView.element);
      }
    } catch (error) {
      replace(branches, h("p", { class: "error" }, `The branches could not be read: ${messageOf(error)}`));
      context.fail(error);
    }
  }

  const poll = setInterval(async () => {
    if (!section.isConnected) clearInterval(poll); // purged
    if (document.hidden || !historyView || !section.isConnected) return;
    try {
      const latest = await context.api.get(apiPath(["repos", owner, name, "syncs"], { limit: 1 }));
      const id = latest.syncs[0]?.id ?? null;
      const shown = historyView.newest();
      if (id && id !== shown && !section.querySelector(`[data-sync-id="${CSS.escape(id)}"]`)) refresh();
    } catch {
      // the next poll tries again; user-facing errors come from the views' own requests
    }
  }, POLL_MS);
  context.signal.addEventListener("abort", () => clearInterval(poll), { once: true });

  refresh();
  return section;
}

/**
 * "owner/name" whatever the API calls it.
 * @param {any} repo
 * @returns {string}
 */
export function repoFullName(repo) {
  return repo.fullName ?? repo.full_name ?? `${repo.owner}/${repo.name}`;
}

/** @param {unknown} error */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
