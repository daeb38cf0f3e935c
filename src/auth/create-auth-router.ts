import { createHash, timingSafeEqual } from "node:crypto";
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import { AppError } from "../errors.js";
import { createOctokit } from "../github/create-octokit.js";
import type { AuthDeps } from "./auth-deps.js";
import { SESSION_DAYS } from "./auth-deps.js";
import { createSession } from "./create-session.js";
import { exchangeCode, sealedTokens } from "./github-user-token.js";
import { resolvePrincipal } from "./resolve-principal.js";
import { revokeSession } from "./revoke-session.js";
import { newSecret } from "./secret-digest.js";
import { readCookie, sessionCookieHeader, signCookieValue, verifyCookieValue } from "./session-cookie.js";
import { callbackUrl, isSecureOrigin, oauthBaseUrl, type SignInConfig } from "./sign-in-config.js";

/** The cookie that carries the flow's state and PKCE verifier from /auth/login to /auth/callback (10 minutes). */
const FLOW_COOKIE = "project-sync-oauth";
/** The page's copy of its session's CSRF token (readable by the page's script, checked against the session's digest). */
export const CSRF_COOKIE = "project-sync-csrf";
const FLOW_SECONDS = 600;

const callbackQuery = z.object({
  code: z.string().min(1).max(200).optional(),
  state: z.string().min(1).max(200),
  error: z.string().max(200).optional(),
});
/** Where the callback sends the person back: a path of this site only (not `//host`, no backslash), bounded. */
const returnPath = z
  .string()
  .max(1000)
  .regex(/^\/(?![/\\])[^\\\s\p{Cc}]*$/u)
  .catch("/");
const githubUser = z.object({ id: z.number().int(), login: z.string().min(1).max(100) });

/**
 * Sign in with GitHub (the GitHub App's user authorization, web flow): `/auth/login?return=/path` redirects to GitHub
 * with a fresh state and an S256 PKCE challenge; `/auth/callback` checks the state, trades the code with its verifier,
 * keeps the person and their tokens, starts a session (HttpOnly cookie), hands the page its CSRF token and sends the
 * person back to `return` (a path of this site; else `/`); `POST /auth/logout`
 * ends the session; `GET /auth/me` says who is signed in.
 */
export function createAuthRouter(deps: AuthDeps, config: SignInConfig): Router {
  const secure = isSecureOrigin(config);
  const router = Router();
  router.get("/login", (req, res) => {
    const state = newSecret();
    const verifier = newSecret();
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const back = Buffer.from(returnPath.parse(req.query.return)).toString("base64url");
    res.append(
      "Set-Cookie",
      flowCookie(signCookieValue(`${state}~${verifier}~${back}`, deps.keys.cookie), FLOW_SECONDS, secure),
    );
    const url = new URL(`${oauthBaseUrl(config.apiBaseUrl)}/login/oauth/authorize`);
    for (const [key, value] of Object.entries({
      client_id: config.clientId,
      redirect_uri: callbackUrl(config),
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }))
      url.searchParams.set(key, value);
    res.set("Cache-Control", "no-store").redirect(302, url.toString());
  });
  router.get("/callback", async (req, res) => {
    const { verifier, back } = takeFlow(req, res, deps, secure);
    const code = req.query.code as string;
    const tokens = await exchangeCode(config, code, verifier);
    const user = githubUser.parse(
      (await createOctokit({ auth: tokens.token, baseUrl: config.apiBaseUrl }).request("GET /user")).data,
    );
    const row = await deps.db.user.upsert({
      where: { githubId: BigInt(user.id) },
      create: { githubId: BigInt(user.id), login: user.login, ...sealedTokens(deps, tokens) },
      update: { login: user.login, ...sealedTokens(deps, tokens) },
    });
    const session = await createSession(deps, row.id);
    const maxAge = SESSION_DAYS * 24 * 60 * 60;
    res.append("Set-Cookie", sessionCookieHeader(session.cookieValue, { secure, maxAgeSeconds: maxAge }));
    res.append("Set-Cookie", csrfCookie(session.csrfToken, maxAge, secure));
    res.set("Cache-Control", "no-store").redirect(303, back);
  });
  router.post("/logout", async (req, res) => {
    const principal = await resolvePrincipal({ apiToken: undefined, auth: deps, secureCookie: secure }, req);
    if (principal?.kind === "person" && principal.sessionId) await revokeSession(deps, principal.sessionId);
    res.append("Set-Cookie", sessionCookieHeader("", { secure, maxAgeSeconds: 0 }));
    res.append("Set-Cookie", csrfCookie("", 0, secure));
    res.status(204).end();
  });
  router.get("/me", async (req, res) => {
    const principal = await resolvePrincipal({ apiToken: undefined, auth: deps, secureCookie: secure }, req);
    res.set("Cache-Control", "no-store");
    if (principal?.kind !== "person") throw new AppError("UNAUTHORIZED", "Not signed in.");
    res.json({ login: principal.login });
  });
  return router;
}

/**
 * The flow cookie's PKCE verifier and the path to go back to, once its state matches the callback's; clears the cookie
 * either way.
 */
function takeFlow(
  req: Request,
  res: Response,
  deps: AuthDeps,
  secure: boolean,
): { verifier: string; back: string } {
  res.append("Set-Cookie", flowCookie("", 0, secure));
  const query = callbackQuery.safeParse(req.query);
  if (!query.success)
    throw new AppError("BAD_INPUT", "The sign-in callback needs GitHub's state; start again at /auth/login.");
  if (query.data.error)
    throw new AppError("UNAUTHORIZED", `GitHub did not sign you in (${query.data.error}).`);
  const flow = verifyCookieValue(readCookie(req.headers.cookie, FLOW_COOKIE) ?? "", deps.keys.cookie);
  const [state = "", verifier = "", back = ""] = (flow ?? "").split("~");
  const given = Buffer.from(query.data.state);
  if (
    flow === null ||
    given.length !== state.length ||
    !timingSafeEqual(given, Buffer.from(state)) ||
    !query.data.code
  ) {
    throw new AppError(
      "FORBIDDEN",
      "This sign-in was not started by this browser (state mismatch); start again at /auth/login.",
    );
  }
  return { verifier, back: returnPath.parse(Buffer.from(back, "base64url").toString("utf8")) };
}

function flowCookie(value: string, maxAge: number, secure: boolean): string {
  return `${FLOW_COOKIE}=${value}; Path=/auth; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

function csrfCookie(value: string, maxAge: number, secure: boolean): string {
  return `${CSRF_COOKIE}=${value}; Path=/; SameSite=Strict; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}
