import { randomBytes } from "node:crypto";

/** The simulated GitHub App's OAuth client (its "Client ID" and a "client secret" as its settings page shows them). */
export const SIM_OAUTH_CLIENT = {
  clientId: "Iv23lisimulatedclient",
  clientSecret: "sim-oauth-client-secret",
};

/** GitHub's lifetimes: a code 10 minutes, a user access token 8 hours, a refresh token 6 months. */
export const OAUTH_CODE_SECONDS = 10 * 60;
export const USER_TOKEN_SECONDS = 8 * 60 * 60;
export const REFRESH_TOKEN_SECONDS = 15_897_600;

/** A code the authorize page handed out, single use. */
export type OAuthCode = {
  login: string;
  redirectUri: string | undefined;
  /** S256 challenge sent with the authorize request, if any */
  codeChallenge: string | undefined;
  expiresAt: number;
};

/** A user access token (`ghu_…`) or refresh token (`ghr_…`): whose, and until when (epoch ms). */
export type OAuthGrant = { login: string; expiresAt: number };

/** The OAuth side of the simulator: who is signed in on "GitHub", and the codes and tokens it issued. */
export type OAuthState = {
  /** the login GitHub's authorize page acts for; undefined: the person declines (access_denied) */
  signedInAs: string | undefined;
  codes: Map<string, OAuthCode>;
  accessTokens: Map<string, OAuthGrant>;
  refreshTokens: Map<string, OAuthGrant>;
  /** lifetime of a user access token in seconds (GitHub: 8 hours) */
  userTokenSeconds: number;
};

export function createOAuthState(userTokenSeconds = USER_TOKEN_SECONDS): OAuthState {
  return {
    signedInAs: undefined,
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    userTokenSeconds,
  };
}

/** A random token with GitHub's prefix for its kind (ghu_ user access, ghr_ refresh) or a bare code. */
export function oauthSecret(prefix: string): string {
  return `${prefix}${randomBytes(18).toString("base64url")}`;
}
