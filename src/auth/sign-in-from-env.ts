import { AppError } from "../errors.js";
import type { SignInConfig } from "./sign-in-config.js";

export type SignInEnv = {
  GITHUB_CLIENT_ID?: string;
  GITHUB_CLIENT_SECRET?: string;
  SESSION_SECRET?: string;
  PUBLIC_URL?: string;
};

/**
 * Sign-in's configuration when GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, SESSION_SECRET and PUBLIC_URL are all set;
 * null when the client id and secret are not (the laptop case: nothing changes). Half a configuration is an error,
 * so that a typo does not quietly leave the server on API_TOKEN alone.
 */
export function signInFromEnv(
  env: SignInEnv,
  apiBaseUrl: string,
): { config: SignInConfig; sessionSecret: string } | null {
  const { GITHUB_CLIENT_ID: clientId, GITHUB_CLIENT_SECRET: clientSecret, SESSION_SECRET, PUBLIC_URL } = env;
  if (!clientId && !clientSecret) return null;
  const missing = Object.entries({
    GITHUB_CLIENT_ID: clientId,
    GITHUB_CLIENT_SECRET: clientSecret,
    SESSION_SECRET,
    PUBLIC_URL,
  })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (!clientId || !clientSecret || !SESSION_SECRET || !PUBLIC_URL) {
    throw new AppError(
      "CONFIG_INVALID",
      `Sign in with GitHub needs ${missing.join(", ")} as well (or unset GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET).`,
    );
  }
  return {
    config: { clientId, clientSecret, apiBaseUrl, publicUrl: PUBLIC_URL.replace(/\/$/, "") },
    sessionSecret: SESSION_SECRET,
  };
}
