/**
 * The status page's entry: one HTML shell for `/` and `/syncs/:syncId`; this script routes on the path and renders
 * from the REST API (and its event streams). Data is only ever inserted as text (see dom.js).
 */
import { loadAccount } from "./account.js";
import { renderAccountNav } from "./account-nav.js";
import { ApiError, createApi, storedToken, storeToken } from "./api.js";
import { renderComparison } from "./compare-view.js";
import { h, replace } from "./dom.js";
import { renderFileView } from "./file-view.js";
import { renderHome } from "./home-view.js";
import { readSearchQuery } from "./search-query.js";
import { renderSearchView } from "./search-view.js";
import { renderSignInCard } from "./sign-in-card.js";
import { renderSyncDetail } from "./sync-detail-view.js";
import { renderTokenForm } from "./token-form.js";
import { renderTokensView } from "./tokens-view.js";

const apiBase = document.querySelector('meta[name="project-sync-api"]')?.getAttribute("content") ?? "/api/v1";
const api = createApi(apiBase);
const root = /** @type {HTMLElement} */ (document.getElementById("app"));
const notices = /** @type {HTMLElement} */ (document.getElementById("notices"));
const accountNav = /** @type {HTMLElement} */ (document.getElementById("account"));
/** @type {import("./account.js").Account} */
let account = { signIn: "off" };

/** @type {AbortController | null} */
let current = null;
let askingForToken = false;

/** Renders the view for the current path (again after a token was given). */
async function route() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  askingForToken = false;
  replace(notices);
  const context = { api, apiBase, signal: controller.signal, fail, account };
  const match = /^\/syncs\/([^/]+)\/?$/.exec(location.pathname);
  const changes = /^\/syncs\/([^/]+)\/changes\/?$/.exec(location.pathname);
  const compare = /^\/syncs\/([^/]+)\/compare\/([^/]+)\/?$/.exec(location.pathname);
  const file = /^\/repos\/([^/]+)\/([^/]+)\/file\/?$/.exec(location.pathname);
  const search = /^\/repos\/([^/]+)\/([^/]+)\/search\/?$/.exec(location.pathname);
  const query = new URLSearchParams(location.search);
  try {
    if (match?.[1]) await renderSyncDetail(root, context, decodeURIComponent(match[1]));
    else if (changes?.[1])
      await renderComparison(root, context, { from: decodeURIComponent(changes[1]), to: null });
    else if (compare?.[1] && compare[2]) {
      const [from, to] = [decodeURIComponent(compare[1]), decodeURIComponent(compare[2])];
      await renderComparison(root, context, { from, to });
    } else if (file?.[1] && file[2]) {
      const [owner, name] = [decodeURIComponent(file[1]), decodeURIComponent(file[2])];
      await renderFileView(root, context, {
        owner,
        name,
        path: query.get("path") ?? "",
        asOf: query.get("asOf"),
        branch: query.get("branch"),
        line: Number(/^#L(\d{1,9})$/.exec(location.hash)?.[1] ?? 0) || null,
      });
    } else if (search?.[1] && search[2]) {
      const [owner, name] = [decodeURIComponent(search[1]), decodeURIComponent(search[2])];
      await renderSearchView(root, context, { owner, name, query: readSearchQuery(query) });
    } else if (location.pathname === "/") await renderHome(root, context);
    else if (/^\/settings\/tokens\/?$/.test(location.pathname)) await renderTokensView(root, context);
    else replace(root, h("p", { class: "error" }, "There is no such page. "), h("a", { href: "/" }, "Home"));
  } catch (error) {
    fail(error);
  }
}

/**
 * Every error of a view ends here: a 401 asks who is there (once for all the views' requests) — sign in with GitHub
 * where it is set up, else the API token — anything else is shown above the page.
 * @param {unknown} error
 */
function fail(error) {
  if (error instanceof ApiError && error.status === 401) {
    if (askingForToken) return;
    askingForToken = true;
    current?.abort();
    const refused = storedToken() !== null;
    storeToken(null);
    if (account.signIn === "off") renderTokenForm(root, { refused, onToken: route });
    else {
      // a session that ended meanwhile: the header says so too
      if (account.signIn === "signed-in") showAccount({ signIn: "signed-out" });
      renderSignInCard(root, { refused, onToken: route });
    }
    return;
  }
  if (current?.signal.aborted && error instanceof DOMException && error.name === "AbortError") return;
  const message = error instanceof Error ? error.message : String(error);
  const notice = h(
    "div",
    { class: "notice error", role: "alert" },
    h("span", {}, message),
    h(
      "button",
      { type: "button", class: "button secondary small", onclick: () => notice.remove() },
      "Dismiss",
    ),
  );
  notices.append(notice);
  if (root.textContent?.trim() === "Loading…") replace(root);
}

/** @param {import("./account.js").Account} next */
function showAccount(next) {
  account = next;
  renderAccountNav(accountNav, account, {
    onSignedOut: () => {
      showAccount({ signIn: "signed-out" });
      route();
    },
    fail,
  });
}

loadAccount().then((loaded) => {
  showAccount(loaded);
  route();
});
