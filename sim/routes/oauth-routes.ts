import { createHash, timingSafeEqual } from "node:crypto";
import {
  OAUTH_CODE_SECONDS,
  type OAuthGrant,
  oauthSecret,
  REFRESH_TOKEN_SECONDS,
  SIM_OAUTH_CLIENT,
} from "../oauth-state.js";
import { HttpError, json, type ResponseReply } from "../reply.js";
import type { RouteContext, RouteHandler } from "../router.js";
import type { SimulatorState } from "../simulator-state.js";

const ERROR_URI =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

/**
 * `GET /login/oauth/authorize`: GitHub's authorization page, answered at once for the person `signInAs` named:
 * a 302 to `redirect_uri` with `code` and `state` (GitHub echoes state untouched), or with `error=access_denied` when
 * nobody is signed in (the person declined). A PKCE `code_challenge` must use S256 and is kept with the code.
 */
export const authorize: RouteHandler = ({ sim, query }) => {
  if (query.get("client_id") !== SIM_OAUTH_CLIENT.clientId) throw new HttpError(404, "Not Found");
  const redirectUri = query.get("redirect_uri") ?? undefined;
  const target = new URL(redirectUri ?? `${sim.url}/sim-oauth-default-callback`);
  const challenge = query.get("code_challenge") ?? undefined;
  const method = query.get("code_challenge_method") ?? (challenge ? "plain" : undefined);
  if (challenge !== undefined && method !== "S256") {
    throw new HttpError(400, "code_challenge_method must be S256");
  }
  const state = query.get("state");
  const login = sim.oauth.signedInAs;
  if (login === undefined) {
    target.searchParams.set("error", "access_denied");
    target.searchParams.set("error_description", "The user has denied your application access.");
    target.searchParams.set("error_uri", ERROR_URI);
  } else {
    const code = oauthSecret("").slice(0, 20);
    sim.oauth.codes.set(code, {
      login,
      redirectUri,
      codeChallenge: challenge,
      expiresAt: sim.now() + OAUTH_CODE_SECONDS * 1000,
    });
    target.searchParams.set("code", code);
  }
  if (state !== null) target.searchParams.set("state", state);
  return { status: 302, headers: { location: target.toString() }, body: "" };
};

/**
 * `POST /login/oauth/access_token` (JSON body or query): a code (with its PKCE verifier, and the same redirect_uri)
 * or a refresh token (`grant_type=refresh_token`, single use) for a new user access token (`ghu_…`, 8 hours) and
 * refresh token (`ghr_…`, 6 months). Errors are 200s with `error`, as GitHub answers them.
 */
export const accessToken: RouteHandler = (context) => {
  const input = readInput(context);
  if (input.client_id !== SIM_OAUTH_CLIENT.clientId || !sameSecret(input.client_secret)) {
    return oauthError(
      "incorrect_client_credentials",
      "The client_id and/or client_secret passed are incorrect.",
    );
  }
  if (input.grant_type === "refresh_token") return refreshGrant(context.sim, input.refresh_token);
  const code = context.sim.oauth.codes.get(input.code ?? "");
  if (!code || code.expiresAt <= context.sim.now()) {
    return oauthError("bad_verification_code", "The code passed is incorrect or expired.");
  }
  context.sim.oauth.codes.delete(input.code ?? ""); // single use, refused or not
  if (code.redirectUri !== undefined && input.redirect_uri !== code.redirectUri) {
    return oauthError(
      "redirect_uri_mismatch",
      "The redirect_uri MUST match the registered callback URL for this application.",
    );
  }
  if (code.codeChallenge !== undefined && s256(input.code_verifier ?? "") !== code.codeChallenge) {
    return oauthError("bad_verification_code", "The code_verifier does not match the code_challenge.");
  }
  return issueTokens(context.sim, code.login);
};

function refreshGrant(sim: SimulatorState, refreshToken: string | undefined): ResponseReply {
  const grant = sim.oauth.refreshTokens.get(refreshToken ?? "");
  if (!grant || grant.expiresAt <= sim.now()) {
    return oauthError("bad_refresh_token", "The refresh token passed is incorrect or expired.");
  }
  sim.oauth.refreshTokens.delete(refreshToken ?? "");
  return issueTokens(sim, grant.login);
}

function issueTokens(sim: SimulatorState, login: string): ResponseReply {
  const now = sim.now();
  const access = oauthSecret("ghu_");
  const refresh = oauthSecret("ghr_");
  const grant = (seconds: number): OAuthGrant => ({ login, expiresAt: now + seconds * 1000 });
  sim.oauth.accessTokens.set(access, grant(sim.oauth.userTokenSeconds));
  sim.oauth.refreshTokens.set(refresh, grant(REFRESH_TOKEN_SECONDS));
  return json({
    access_token: access,
    expires_in: sim.oauth.userTokenSeconds,
    refresh_token: refresh,
    refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
    scope: "",
    token_type: "bearer",
  });
}

type TokenInput = Partial<
  Record<
    | "client_id"
    | "client_secret"
    | "code"
    | "redirect_uri"
    | "code_verifier"
    | "grant_type"
    | "refresh_token",
    string
  >
>;

function readInput({ body, query }: RouteContext): TokenInput {
  const fields = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const input: Record<string, string> = {};
  for (const key of [
    "client_id",
    "client_secret",
    "code",
    "redirect_uri",
    "code_verifier",
    "grant_type",
    "refresh_token",
  ]) {
    const value = fields[key] ?? query.get(key);
    if (typeof value === "string") input[key] = value;
  }
  return input;
}

function sameSecret(secret: string | undefined): boolean {
  const given = createHash("sha256")
    .update(secret ?? "")
    .digest();
  return timingSafeEqual(given, createHash("sha256").update(SIM_OAUTH_CLIENT.clientSecret).digest());
}

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

function oauthError(error: string, description: string): ResponseReply {
  return json({ error, error_description: description, error_uri: ERROR_URI });
}
