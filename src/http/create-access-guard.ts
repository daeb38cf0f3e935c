import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { RequestHandler } from "express";
import type { Principal } from "../auth/principal.js";
import { type PrincipalOptions, resolvePrincipal } from "../auth/resolve-principal.js";
import { AppError } from "../errors.js";
import { isLoopbackAddress, isLoopbackHost } from "./is-loopback-address.js";

export type AccessGuardOptions = {
  /** API_TOKEN; unset: only loopback clients are answered */
  apiToken?: string;
  /** "api": the token is required when set; "page": the page's HTML, JS and CSS hold no data and need no token */
  area: "api" | "page";
  /**
   * Sign in with GitHub is set up: the API answers API_TOKEN, personal tokens and session cookies (see
   * resolvePrincipal) from any address, and nobody else; absent: the rules above, unchanged.
   */
  signIn?: PrincipalOptions;
};

/** The principal the guard found, for the routes behind it (`res.locals.principal`). */
export function principalOf(locals: Record<string, unknown>): Principal {
  const principal = locals.principal as Principal | undefined;
  if (!principal) throw new AppError("INTERNAL", "No access guard ran before this route.");
  return principal;
}

/**
 * Who may use the API and the page. With API_TOKEN set, `/api/v1/**` needs `Authorization: Bearer <API_TOKEN>`
 * (compared in constant time; 401 with `WWW-Authenticate: Bearer` otherwise) and the page is open, since it asks for
 * the token and sends it. Without API_TOKEN both answer only loopback clients (403 otherwise), judged by `req.ip`: the
 * socket's own address, since any client can send X-Forwarded-For — unless the server was told (TRUST_PROXY) which
 * proxies' X-Forwarded-For to believe, so that a proxy on this machine does not make every client loopback. A loopback
 * client is not enough on its own: any web page the machine's browser opens can reach it too, by DNS rebinding (a hostile name
 * resolving to 127.0.0.1: refused by the Host check) or by a cross-site form or fetch (refused by the Origin check).
 */
export function createAccessGuard(options: AccessGuardOptions): RequestHandler {
  const { signIn } = options;
  if (signIn) return signInGuard(signIn, options.area);
  const expected = options.apiToken ? digest(options.apiToken) : null;
  return (req, res, next) => {
    res.locals.principal = { kind: expected ? "operator" : "local" } satisfies Principal;
    if (!expected) {
      if (!isLoopbackAddress(req.ip)) {
        throw new AppError(
          "FORBIDDEN",
          "Without API_TOKEN this server answers only loopback clients (127.0.0.1, ::1); set API_TOKEN to allow others.",
        );
      }
      const refusal = browserRefusal(req.headers);
      if (refusal) throw new AppError("FORBIDDEN", refusal);
      next();
      return;
    }
    if (options.area === "page") {
      next();
      return;
    }
    const token = bearerToken(req.headers.authorization);
    if (token === null || !timingSafeEqual(digest(token), expected)) {
      res.set("WWW-Authenticate", 'Bearer realm="project-sync"');
      throw new AppError(
        "UNAUTHORIZED",
        token === null
          ? "This API needs the header Authorization: Bearer <API_TOKEN>."
          : "The bearer token is not this server's API_TOKEN.",
      );
    }
    next();
  };
}

/** With sign-in: the page is open (it offers the sign-in), the API needs a principal. */
function signInGuard(signIn: PrincipalOptions, area: AccessGuardOptions["area"]): RequestHandler {
  return async (req, res, next) => {
    if (area === "page") {
      next();
      return;
    }
    const principal = await resolvePrincipal(signIn, req);
    if (!principal) {
      res.set("WWW-Authenticate", 'Bearer realm="project-sync"');
      throw new AppError(
        "UNAUTHORIZED",
        "Sign in with GitHub on the page, or send Authorization: Bearer <a personal token or API_TOKEN>.",
      );
    }
    res.locals.principal = principal;
    next();
  };
}

/** Why a loopback request came from some other site's page rather than from this machine's own user; null if not. */
function browserRefusal(headers: IncomingHttpHeaders): string | null {
  const host = headers.host;
  if (host !== undefined && !isLoopbackHost(host)) {
    return `Without API_TOKEN this server answers only requests addressed to a loopback name (localhost, 127.0.0.1, [::1]), not to ${host}; set API_TOKEN to allow others.`;
  }
  const origin = headers.origin;
  if (origin !== undefined && !isSameOrigin(origin, host)) {
    return "Without API_TOKEN this server answers no request sent by another site's page; set API_TOKEN to allow others.";
  }
  return null;
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false; // "null" (a sandboxed frame, a file:// page) or not a URL
  }
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

// Digests of equal length, so the comparison takes the same time whatever the token's length.
function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
