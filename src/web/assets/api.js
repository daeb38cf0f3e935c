/**
 * The REST API client: JSON in and out, `Authorization: Bearer` from the browser session when the server asked for a
 * token, errors as ApiError with the API's `{ error: { code, message } }`.
 */

const TOKEN_KEY = "project-sync.api-token";

/** A failed API call: the server's error code and message, or a network failure (`status` 0). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

/** The token kept for this browser session, if any. */
export function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** @param {string | null} token the API token to keep for this browser session, or null to forget it */
export function storeToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Request headers for the API (and the event stream): the bearer token when one is kept, else the session's CSRF
 * token when signed in with GitHub.
 * @returns {Record<string, string>}
 */
export function authHeaders() {
  const token = storedToken();
  if (token) return { Authorization: `Bearer ${token}` };
  return csrfHeader();
}

/**
 * Signed in with GitHub, the session cookie goes by itself; actions also need its CSRF token, which the server put in
 * a cookie this page (and only this origin) can read.
 * @returns {Record<string, string>}
 */
export function csrfHeader() {
  const csrf = /(?:^|;\s*)project-sync-csrf=([^;]+)/.exec(document.cookie)?.[1];
  return csrf ? { "X-CSRF-Token": csrf } : {};
}

/**
 * A client for the API under `base` (e.g. `/api/v1`).
 * @param {string} base
 */
export function createApi(base) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async function request(method, path, body) {
    /** @type {Response} */
    let response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...authHeaders(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch (error) {
      throw new ApiError(0, "NETWORK", `The server could not be reached (${String(error)}).`);
    }
    const text = await response.text();
    /** @type {any} */
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const error = json?.error;
      throw new ApiError(
        response.status,
        typeof error?.code === "string" ? error.code : `HTTP_${response.status}`,
        typeof error?.message === "string" ? error.message : `${method} ${path} answered ${response.status}.`,
      );
    }
    return json;
  }

  return {
    base,
    /** @param {string} path */
    get: (path) => request("GET", path),
    /**
     * @param {string} path
     * @param {unknown} body
     */
    post: (path, body) => request("POST", path, body),
    /** @param {string} path */
    delete: (path) => request("DELETE", path),
  };
}

/** @typedef {ReturnType<typeof createApi>} Api */

/**
 * Builds a path with encoded segments and a query string (empty values left out).
 * @param {string[]} segments
 * @param {Record<string, string | number | null | undefined>} [query]
 * @example apiPath(["repos", owner, repo, "syncs"], { branch, cursor }) // "/repos/o/r/syncs?branch=main"
 */
export function apiPath(segments, query = {}) {
  const path = segments.map((segment) => `/${encodeURIComponent(segment)}`).join("");
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
