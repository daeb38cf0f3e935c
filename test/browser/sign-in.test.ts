// Sign in with GitHub in Chromium, against the real app on the simulator: the web flow, the repositories GitHub lets a
// person read, an action refused without write, sign-out. No nock: real sockets only.
import { describe, expect, it } from "@jest/globals";
import type { Page } from "playwright-core";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import { useStatusPage } from "./use-status-page.js";

const OPERATOR = "browser-test-operator-token";

describe("the status page with sign in with GitHub", () => {
  const fixture = useStatusPage({
    files: 40,
    apiToken: OPERATOR,
    env: {
      GITHUB_CLIENT_ID: SIM_OAUTH_CLIENT.clientId,
      GITHUB_CLIENT_SECRET: SIM_OAUTH_CLIENT.clientSecret,
      SESSION_SECRET: "a-session-secret-for-the-browser-test-0123",
    },
  });

  /** Signs `login` in through /auth/login (GitHub's page answers at once for them) and waits for the page's list. */
  async function signIn(page: Page, login: string): Promise<unknown> {
    fixture.stack.sim.signInAs(login);
    const listed = page.waitForResponse((response) => /\/api\/v1\/repos(\?|$)/.test(response.url()));
    await page.goto(`${fixture.stack.url}/auth/login`);
    expect(new URL(page.url()).pathname).toBe("/");
    return (await listed).json();
  }

  it("signs a reader in, shows their repository, refuses them a sync, and signs them out", async () => {
    const { owner, name } = fixture.stack;
    fixture.stack.sim.setPermission(owner, name, "mona", "read");
    const page = await fixture.openPage();
    const listed = (await signIn(page, "mona")) as { repos: { fullName: string }[] };
    expect(listed.repos.map((repo) => repo.fullName)).toEqual([`${owner}/${name}`]);
    const card = page.locator('article.branch[data-branch="main"]');
    await card.locator(".last-sync .status-succeeded").waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === "project-sync-session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    await fixture.screenshot(page, "signed-in-reader");

    const refused = page.waitForResponse(
      (response) => response.request().method() === "POST" && response.url().includes("/syncs"),
    );
    await card.getByRole("button", { name: "Sync", exact: true }).click();
    await page.getByRole("button", { name: "Start sync" }).click();
    const answer = await refused;
    expect(answer.status()).toBe(403);
    expect(JSON.stringify(await answer.json())).toContain("needs write access");

    const out = await page.evaluate(async () => {
      const csrf = /(?:^|;\s*)project-sync-csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
      return (await fetch("/auth/logout", { method: "POST", headers: { "X-CSRF-Token": csrf } })).status;
    });
    expect(out).toBe(204);
    const after = page.waitForResponse((response) => /\/api\/v1\/repos(\?|$)/.test(response.url()));
    await page.reload();
    expect((await after).status()).toBe(401);
    expect(fixture.dialogs).toEqual([]);
  }, 120_000);

  it("shows nothing to someone with no role on the repository", async () => {
    const page = await fixture.openPage();
    const listed = (await signIn(page, "eve")) as { repos: unknown[] };
    expect(listed.repos).toEqual([]);
    expect(await page.locator("section.repo").count()).toBe(0);
  }, 60_000);
});

// used inside page.evaluate (the browser); this project compiles without the DOM library
declare const document: { cookie: string };
