import { exchangeWebFlowCode, refreshToken } from "@octokit/oauth-methods";
import { request } from "@octokit/request";
import { AppError } from "../errors.js";
import type { AuthDeps } from "./auth-deps.js";
import { openSealedToken, sealToken } from "./seal-token.js";
import { callbackUrl, type SignInConfig } from "./sign-in-config.js";

/** A user access token is refreshed when it has less than this left (GitHub's last 8 hours). */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export type UserTokens = {
  token: string;
  expiresAt: Date | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
};

/** Trades the callback's code (with its PKCE verifier) for the person's user access and refresh tokens. */
export async function exchangeCode(
  config: SignInConfig,
  code: string,
  codeVerifier: string,
): Promise<UserTokens> {
  const { authentication } = await exchangeWebFlowCode({
    clientType: "github-app",
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    code,
    redirectUrl: callbackUrl(config),
    // oauth-methods has no PKCE parameter: a request default joins the body.
    request: request.defaults({ baseUrl: config.apiBaseUrl, code_verifier: codeVerifier }),
  });
  return tokensOf(authentication);
}

/**
 * A live user access token of a person, refreshed first when it expires within 5 minutes (the new pair is stored; a
 * refresh token is single use, so if another process refreshed first, its stored pair is used).
 */
export async function userAccessToken(deps: AuthDeps, config: SignInConfig, userId: string): Promise<string> {
  const user = await deps.db.user.findUnique({ where: { id: userId } });
  const token = user?.accessTokenSealed ? openSealedToken(user.accessTokenSealed, deps.keys.seal) : null;
  if (!user || token === null) throw signInAgain();
  const now = deps.now().getTime();
  if (user.accessTokenExpiresAt === null || user.accessTokenExpiresAt.getTime() - now > REFRESH_MARGIN_MS)
    return token;
  const refresh = user.refreshTokenSealed ? openSealedToken(user.refreshTokenSealed, deps.keys.seal) : null;
  if (
    refresh === null ||
    (user.refreshTokenExpiresAt !== null && user.refreshTokenExpiresAt.getTime() <= now)
  ) {
    throw signInAgain();
  }
  let tokens: UserTokens;
  try {
    const { authentication } = await refreshToken({
      clientType: "github-app",
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      refreshToken: refresh,
      request: request.defaults({ baseUrl: config.apiBaseUrl }),
    });
    tokens = tokensOf(authentication);
  } catch {
    const again = await deps.db.user.findUnique({ where: { id: userId } });
    if (again?.refreshTokenSealed && again.refreshTokenSealed !== user.refreshTokenSealed) {
      return userAccessToken(deps, config, userId);
    }
    throw signInAgain();
  }
  await deps.db.user.update({ where: { id: userId }, data: sealedTokens(deps, tokens) });
  return tokens.token;
}

/** The columns that store a person's tokens, sealed. */
export function sealedTokens(deps: AuthDeps, tokens: UserTokens) {
  return {
    accessTokenSealed: sealToken(tokens.token, deps.keys.seal),
    accessTokenExpiresAt: tokens.expiresAt,
    refreshTokenSealed: tokens.refreshToken === null ? null : sealToken(tokens.refreshToken, deps.keys.seal),
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
  };
}

function tokensOf(
  authentication: { token: string } & Partial<
    Record<"expiresAt" | "refreshToken" | "refreshTokenExpiresAt", string>
  >,
): UserTokens {
  const date = (value: string | undefined) => (value === undefined ? null : new Date(value));
  return {
    token: authentication.token,
    expiresAt: date(authentication.expiresAt),
    refreshToken: authentication.refreshToken ?? null,
    refreshTokenExpiresAt: date(authentication.refreshTokenExpiresAt),
  };
}

function signInAgain(): AppError {
  return new AppError("UNAUTHORIZED", "Your GitHub authorization has ended; sign in again.");
}
