import type { SimulatorState } from "../simulator-state.js";

export type SimUser = { login: string; id: number; type: "User" | "Bot" | "Organization" };

/**
 * A user as GitHub's REST API nests it (`simple-user`), with every field its OpenAPI description requires, so a client
 * validating responses against GitHub's schema accepts the simulator's.
 */
export function userJson(sim: SimulatorState, user: SimUser) {
  const { login, id, type } = user;
  const url = `${sim.apiUrl}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${sim.url}/avatars/u/${id}`,
    gravatar_id: "",
    url,
    html_url:
      type === "Bot"
        ? `${sim.url}/apps/${login.replace(/\[bot\]$/, "")}`
        : `${sim.url}/${encodeURIComponent(login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
    user_view_type: "public",
  };
}

/** A stable id for a login (GitHub ids never change), case-insensitive like logins; above the simulator's fixed ids. */
export function userIdOf(login: string): number {
  let hash = 0;
  for (const char of login.toLowerCase()) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 1_000_000_007;
  return 1_000 + hash;
}
