import { ApiError, csrfHeader } from "./api.js";

/**
 * Who is using the page, as `/auth/me` says: sign in with GitHub is not set up on this server (`off`: the laptop or
 * API_TOKEN, as before), set up but nobody is signed in (`signed-out`), or a person is (`signed-in`, with their login).
 * @typedef {{ signIn: "off" } | { signIn: "signed-out" } | { signIn: "signed-in", login: string }} Account
 */

/**
 * Asks the server who is signed in. Anything but a person (200) or "not signed in" (401) means sign-in is not set up:
 * the `/auth` routes do not exist then (404), or the server answers this machine only (403).
 * @returns {Promise<Account>}
 */
export async function loadAccount() {
  /** @type {Response} */
  let response;
  try {
    response = await fetch("/auth/me", { headers: { Accept: "application/json" }, cache: "no-store" });
  } catch {
    return { signIn: "off" };
  }
  if (response.status === 401) return { signIn: "signed-out" };
  if (!response.ok) return { signIn: "off" };
  /** @type {any} */
  const body = await response.json().catch(() => null);
  return typeof body?.login === "string" ? { signIn: "signed-in", login: body.login } : { signIn: "off" };
}

/** Where "Sign in with GitHub" goes: GitHub's web flow, then back to this page. */
export function signInHref() {
  return `/auth/login?return=${encodeURIComponent(`${location.pathname}${location.search}`)}`;
}

/** Ends the session on the server (with its CSRF token); the server clears both cookies. */
export async function signOut() {
  /** @type {Response} */
  let response;
  try {
    response = await fetch("/auth/logout", { method: "POST", headers: csrfHeader(), cache: "no-store" });
  } catch (error) {
    throw new ApiError(0, "NETWORK", `The server could not be reached (${String(error)}).`);
  }
  if (!response.ok) {
    /** @type {any} */
    const body = await response.json().catch(() => null);
    const message = body?.error?.message;
    throw new ApiError(
      response.status,
      body?.error?.code ?? `HTTP_${response.status}`,
      typeof message === "string" ? message : `Signing out failed (${response.status}).`,
    );
  }
}

/**
 * Whether the page offers actions (sync, full resync, restore) on a repository: yes unless a signed-in person has only
 * read access there (the server still decides, asking GitHub at the moment of the action).
 * @param {{ access?: "read" | "write" | "admin" | null }} repo a repository as GET /repos lists it
 */
export function mayAct(repo) {
  return repo.access !== "read";
}

/**
 * Whether "Purge" is offered on a repository: to the operator and this machine, and to a person with admin access.
 * @param {{ access?: "read" | "write" | "admin" | null }} repo
 */
export function mayPurge(repo) {
  return repo.access === null || repo.access === undefined || repo.access === "admin";
}

// A person's repositories looked through for one repository's access (the list is read from a cache on the server).
const ACCESS_LOOKUP_LIMIT = 500;

/**
 * `mayAct` for a repository known by name (a sync's page): only a signed-in person's list is asked. A repository past
 * the first page is offered the actions, which the server then checks.
 * @param {{ api: import("./api.js").Api, account?: Account }} context
 * @param {string} fullName "owner/name"
 */
export async function mayActOn(context, fullName) {
  if (context.account?.signIn !== "signed-in") return true;
  const page = await context.api.get(`/repos?limit=${ACCESS_LOOKUP_LIMIT}`);
  const wanted = fullName.toLowerCase();
  const repo = page.repos.find((/** @type {any} */ each) => String(each.fullName).toLowerCase() === wanted);
  return repo ? mayAct(repo) : true;
}
