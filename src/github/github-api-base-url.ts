import { AppError } from "../errors.js";

export type GitHubHostEnv = { GHE_HOST?: string; GHE_PROTOCOL?: string };

// A bare host name or IP (IPv6 in brackets), optionally with a port: anything else would build a wrong URL silently.
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The REST base URL: github.com, or GitHub Enterprise Server when GHE_HOST is set (the variables Probot reads).
 * Octokit derives GraphQL from it: `https://ghe.example.com/api/v3` → `https://ghe.example.com/api/graphql`.
 * @example githubApiBaseUrl({ GHE_HOST: "ghe.example.com" }) // "https://ghe.example.com/api/v3"
 */
export function githubApiBaseUrl(env: GitHubHostEnv): string {
  const host = env.GHE_HOST?.trim();
  if (!host) return "https://api.github.com";
  if (!HOST.test(host)) {
    throw new AppError(
      "BAD_INPUT",
      `GHE_HOST must be a host name such as "ghe.example.com" (optionally with ":port"), without scheme or path; got "${host}". Set the scheme with GHE_PROTOCOL.`,
    );
  }
  const protocol = (env.GHE_PROTOCOL?.trim() || "https").toLowerCase();
  if (protocol !== "https" && protocol !== "http") {
    throw new AppError("BAD_INPUT", `GHE_PROTOCOL must be "https" or "http"; got "${env.GHE_PROTOCOL}".`);
  }
  return `${protocol}://${host}/api/v3`;
}
