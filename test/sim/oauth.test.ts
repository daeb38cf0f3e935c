import { createHash } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { exchangeWebFlowCode, refreshToken } from "@octokit/oauth-methods";
import { request } from "@octokit/request";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import { api, NAME, OWNER, useSimulator } from "./use-simulator.js";

const CALLBACK = "http://127.0.0.1:9/auth/callback";
const VERIFIER = "a-verifier-of-the-pkce-kind-that-is-long-enough-0123456789";
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");

describe("GitHub simulator OAuth web flow and /user/installations", () => {
  let now = Date.parse("2026-12-06T00:00:00Z");
  const fixture = useSimulator({ files: 20, sim: { now: () => now } });

  /** Opens the authorize page as a browser would and returns where it redirects. */
  async function authorize(params: Record<string, string>): Promise<URL> {
    const query = new URLSearchParams({
      client_id: SIM_OAUTH_CLIENT.clientId,
      redirect_uri: CALLBACK,
      ...params,
    });
    const response = await fetch(`${fixture.address.url}/login/oauth/authorize?${query}`, {
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    return new URL(response.headers.get("location") ?? "");
  }

  async function token(body: Record<string, string>) {
    const response = await fetch(`${fixture.address.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({
        client_id: SIM_OAUTH_CLIENT.clientId,
        client_secret: SIM_OAUTH_CLIENT.clientSecret,
        ...body,
      }),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  const asUser = (accessToken: string) => ({ headers: { authorization: `token ${accessToken}` } });

  it("redirects with a code and the state, and exchanges the code once, with its PKCE verifier", async () => {
    fixture.sim.signInAs("mona");
    const back = await authorize({ state: "s-1", code_challenge: CHALLENGE, code_challenge_method: "S256" });
    const code = back.searchParams.get("code") ?? "";
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get("state")).toBe("s-1");

    const wrongVerifier = await token({ code, redirect_uri: CALLBACK, code_verifier: "other" });
    expect(wrongVerifier).toMatchObject({ error: "bad_verification_code" });
    // a refused code is spent too
    expect(await token({ code, redirect_uri: CALLBACK, code_verifier: VERIFIER })).toMatchObject({
      error: "bad_verification_code",
    });

    const again = await authorize({ state: "s-2", code_challenge: CHALLENGE, code_challenge_method: "S256" });
    const granted = await token({
      code: again.searchParams.get("code") ?? "",
      redirect_uri: CALLBACK,
      code_verifier: VERIFIER,
    });
    expect(granted).toMatchObject({
      expires_in: 28_800,
      refresh_token_expires_in: 15_897_600,
      token_type: "bearer",
    });
    expect(String(granted.access_token)).toMatch(/^ghu_/);
    expect(String(granted.refresh_token)).toMatch(/^ghr_/);
    const user = await api(fixture, "/user", asUser(String(granted.access_token)));
    expect(user.json).toMatchObject({ login: "mona", type: "User" });
  });

  it("refuses a wrong secret, a wrong redirect_uri, a plain challenge, and answers access_denied to nobody", async () => {
    fixture.sim.signInAs("mona");
    const code = (await authorize({})).searchParams.get("code") ?? "";
    expect(await token({ code, redirect_uri: CALLBACK, client_secret: "nope" })).toMatchObject({
      error: "incorrect_client_credentials",
    });
    expect(await token({ code, redirect_uri: "http://127.0.0.1:9/elsewhere" })).toMatchObject({
      error: "redirect_uri_mismatch",
    });
    const plain = await fetch(
      `${fixture.address.url}/login/oauth/authorize?client_id=${SIM_OAUTH_CLIENT.clientId}&code_challenge=x`,
      { redirect: "manual" },
    );
    expect(plain.status).toBe(400);
    fixture.sim.signInAs(undefined);
    const denied = await authorize({ state: "s-3" });
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("s-3");
    expect(denied.searchParams.has("code")).toBe(false);
  });

  it("works with @octokit/oauth-methods: exchange, expiry, single-use refresh", async () => {
    fixture.sim.signInAs("mona");
    const simRequest = request.defaults({ baseUrl: fixture.address.apiUrl });
    const code = (await authorize({})).searchParams.get("code") ?? "";
    const { authentication } = await exchangeWebFlowCode({
      clientType: "github-app",
      clientId: SIM_OAUTH_CLIENT.clientId,
      clientSecret: SIM_OAUTH_CLIENT.clientSecret,
      code,
      redirectUrl: CALLBACK,
      request: simRequest,
    });
    if (!("refreshToken" in authentication))
      throw new Error("a GitHub App's user token comes with a refresh token");
    expect(authentication.refreshToken).toMatch(/^ghr_/);

    now += 28_800 * 1000; // eight hours later the user access token has expired
    expect((await api(fixture, "/user", asUser(authentication.token))).status).toBe(401);
    const refresh = {
      clientType: "github-app" as const,
      clientId: SIM_OAUTH_CLIENT.clientId,
      clientSecret: SIM_OAUTH_CLIENT.clientSecret,
      refreshToken: authentication.refreshToken,
      request: simRequest,
    };
    const refreshed = await refreshToken(refresh);
    expect((await api(fixture, "/user", asUser(refreshed.authentication.token))).json).toMatchObject({
      login: "mona",
    });
    await expect(refreshToken(refresh)).rejects.toThrow(/bad_refresh_token/);
    fixture.sim.revokeUserTokens("mona");
    expect((await api(fixture, "/user", asUser(refreshed.authentication.token))).status).toBe(401);
  });

  it("lists only the installations and repositories a person has a role on, with that role's permissions", async () => {
    await fixture.sim.addRepository({
      owner: "acme",
      name: "tools",
      gitDir: fixture.repo.gitDir,
      installationId: 2,
    });
    await fixture.sim.addRepository({
      owner: "acme",
      name: "secret",
      gitDir: fixture.repo.gitDir,
      installationId: 2,
    });
    fixture.sim.setPermission(OWNER, NAME, "hubot", "read");
    fixture.sim.setPermission("acme", "tools", "hubot", "admin");
    fixture.sim.setPermission("acme", "secret", "hubot", "none");
    fixture.sim.signInAs("hubot");
    const code = (await authorize({})).searchParams.get("code") ?? "";
    const access = String((await token({ code, redirect_uri: CALLBACK })).access_token);

    const installations = await api(fixture, "/user/installations", asUser(access));
    expect(installations.json).toMatchObject({ total_count: 2, installations: [{ id: 1 }, { id: 2 }] });
    const second = await api(fixture, "/user/installations/2/repositories", asUser(access));
    expect(second.json).toMatchObject({
      total_count: 1,
      repositories: [
        {
          full_name: "acme/tools",
          permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
        },
      ],
    });
    const first = await api(fixture, "/user/installations/1/repositories", asUser(access));
    expect(first.json).toMatchObject({
      repositories: [
        { full_name: `${OWNER}/${NAME}`, permissions: { admin: false, push: false, pull: true } },
      ],
    });
    expect((await api(fixture, "/user/installations/3/repositories", asUser(access))).status).toBe(404);
    expect((await api(fixture, "/user/installations", asUser("ghu_unknown"))).status).toBe(401);
  });
});
