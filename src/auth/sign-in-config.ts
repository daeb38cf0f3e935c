/** The GitHub App's user authorization, set by GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET / SESSION_SECRET / PUBLIC_URL. */
export type SignInConfig = {
  clientId: string;
  clientSecret: string;
  /** GitHub's REST base URL (githubApiBaseUrl); the OAuth pages are on its host without `/api/v3` */
  apiBaseUrl: string;
  /** where people reach this app, e.g. https://sync.example.com: the callback is `${publicUrl}/auth/callback` */
  publicUrl: string;
};

/** Where GitHub's OAuth pages live for an API base URL, as @octokit/oauth-methods derives it. */
export function oauthBaseUrl(apiBaseUrl: string): string {
  if (/^https:\/\/api\.github\.com$/.test(apiBaseUrl)) return "https://github.com";
  return apiBaseUrl.replace(/\/api\/v3$/, "");
}

/** Whether the session cookie must be Secure (and `__Host-`): the app is reached over HTTPS. */
export function isSecureOrigin(config: SignInConfig): boolean {
  return config.publicUrl.startsWith("https://");
}

export function callbackUrl(config: SignInConfig): string {
  return `${config.publicUrl.replace(/\/$/, "")}/auth/callback`;
}
