import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { AppError } from "../errors.js";
import type { AuthDeps } from "./auth-deps.js";
import { PERSONAL_TOKEN_PREFIX, resolvePersonalToken } from "./personal-tokens.js";
import type { Principal } from "./principal.js";
import { isSessionCsrfToken, resolveSession } from "./resolve-session.js";
import { readCookie, sessionCookieName } from "./session-cookie.js";

export type PrincipalOptions = {
  /** API_TOKEN, the operator's all-access token; unset: none */
  apiToken: string | undefined;
  auth: AuthDeps;
  /** the session cookie is the `__Host-` Secure one (the app is served over HTTPS) */
  secureCookie: boolean;
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Who a request acts for when sign-in is set up: `Authorization: Bearer` with API_TOKEN (operator) or a personal token
 * (its person and scope), else the session cookie (its person; a state-changing method must also send the session's
 * `X-CSRF-Token`, since SameSite=Lax still lets a same-site page post). Null when the request carries none of them. A
 * bearer token that is neither, or a revoked or expired one, is refused (401) rather than ignored.
 */
export async function resolvePrincipal(
  options: PrincipalOptions,
  request: { method: string; headers: IncomingHttpHeaders },
): Promise<Principal | null> {
  const bearer = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? "")?.[1];
  if (bearer !== undefined) return bearerPrincipal(options, bearer);
  const cookie = readCookie(request.headers.cookie, sessionCookieName(options.secureCookie));
  if (cookie === null) return null;
  const session = await resolveSession(options.auth, cookie);
  if (!session) {
    throw new AppError("UNAUTHORIZED", "Your session has ended or is not valid; sign in again.");
  }
  if (!SAFE_METHODS.has(request.method)) {
    const csrf = request.headers["x-csrf-token"];
    if (!isSessionCsrfToken(session, typeof csrf === "string" ? csrf : undefined)) {
      throw new AppError(
        "FORBIDDEN",
        "This request needs the session's X-CSRF-Token header (the page sends it).",
      );
    }
  }
  const { userId, login, sessionId } = session;
  return { kind: "person", userId, login, via: "session", scope: "write", sessionId };
}

async function bearerPrincipal(options: PrincipalOptions, token: string): Promise<Principal> {
  if (options.apiToken !== undefined && timingSafeEqual(digest(token), digest(options.apiToken))) {
    return { kind: "operator" };
  }
  if (token.startsWith(PERSONAL_TOKEN_PREFIX)) {
    const person = await resolvePersonalToken(options.auth, token);
    if (person) return { kind: "person", via: "token", ...person };
    throw new AppError(
      "UNAUTHORIZED",
      "This personal token is unknown, revoked or expired; create a new one on the page.",
    );
  }
  throw new AppError(
    "UNAUTHORIZED",
    "The bearer token is neither this server's API_TOKEN nor a personal token.",
  );
}

// Digests of equal length, so the comparison takes the same time whatever the token's length.
function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
