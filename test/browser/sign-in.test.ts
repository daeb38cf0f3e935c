// Sign in with GitHub in Chromium, against the real app on the simulator: the web flow from the page's own button,
// the header, the repositories GitHub lets a person read, actions offered by access and refused by the server when
// GitHub says no at that moment, purge for an admin, sign-out. No nock: real sockets only.
import { describe, expect, it } from "@jest/globals";
import { HOSTILE, SIGN_IN_ENV, signIn } from "./sign-in-helpers.js";
import { useStatusPage } from "./use-status-page.js";

const OPERATOR = "browser-test-operator-token";

describe("the status page with sign in with GitHub", () => {
  const fixture = useStatusPage({ files: 40, apiToken: OPERATOR, env: SIGN_IN_ENV });
  const repos = () =>
    fixture.database.db.repository.count({ where: { key: `${fixture.stack.owner}/${fixture.stack.name}` } });

  it("signs a reader in from the page, offers them no action, and signs them out from the header", async () => {
    const { owner, name } = fixture.stack;
    fixture.stack.sim.setPermission(owner, name, "mona", "read");
    const page = await fixture.openPage();
    await page.goto(fixture.stack.url);
    await page.locator("main .sign-in-card").waitFor();
    expect(await page.locator("#account").getByRole("link", { name: "Sign in with GitHub" }).count()).toBe(1);
    await fixture.screenshot(page, "sign-in-card");

    await signIn(fixture, page, "mona");

    const card = page.locator('article.branch[data-branch="main"]');
    await card.locator(".last-sync .status-succeeded").waitFor();
    expect(await page.locator("section.repo h2").allTextContents()).toEqual([`${owner}/${name}`]);
    expect(await page.locator("#account").textContent()).toContain("Signed in as mona");
    await card.locator(".read-only-note").waitFor();
    expect(await card.getByRole("button").count()).toBe(0);
    await page.locator(".history-item").first().waitFor();
    expect(await page.locator(".history-item").getByRole("button", { name: "Restore" }).count()).toBe(0);
    const session = (await page.context().cookies()).find((cookie) => cookie.name === "project-sync-session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    await fixture.screenshot(page, "signed-in-reader");
    await page.locator(".history-item a.mono").first().click();
    await page.locator(".sync-detail").waitFor(); // drawn once the repository's access is known
    expect(await page.locator(".sync-detail").getByRole("button", { name: "Restore" }).count()).toBe(0);
    await page.goBack();

    const out = page.waitForResponse((response) => response.url().endsWith("/auth/logout"));
    await page.locator("#account").getByRole("button", { name: "Sign out" }).click();
    expect((await out).status()).toBe(204);
    await page.locator("main .sign-in-card").waitFor();
    await page.locator("#account").getByRole("link", { name: "Sign in with GitHub" }).waitFor();
    expect(await page.locator("section.repo").count()).toBe(0);
    const after = page.waitForResponse((response) => /\/api\/v1\/repos(\?|$)/.test(response.url()));
    await page.reload();
    expect((await after).status()).toBe(401);
    expect(fixture.dialogs).toEqual([]);
  }, 120_000);

  it("offers a writer Sync and Restore and follows their sync; GitHub's no at the moment of the action is shown", async () => {
    const { owner, name } = fixture.stack;
    fixture.stack.sim.setPermission(owner, name, "hubot", "write");
    const page = await fixture.openPage();
    await signIn(fixture, page, "hubot");
    const card = page.locator('article.branch[data-branch="main"]');
    await card.locator(".last-sync .status-succeeded").waitFor();
    // the history loads after the branches: wait for its first Restore rather than count at once
    await page.locator(".history-item").getByRole("button", { name: "Restore" }).first().waitFor();
    expect(await page.locator("section.repo").getByRole("button", { name: "Purge" }).count()).toBe(0);

    await card.getByRole("button", { name: "Sync", exact: true }).click();
    await page.getByRole("button", { name: "Start sync" }).click();
    await card.locator(".last-sync").filter({ hasText: "manual" }).locator(".status-succeeded").waitFor();
    expect(
      (await fixture.database.db.projectSync.findFirstOrThrow({ orderBy: { createdAt: "desc" } }))
        .requestedBy,
    ).toBe("hubot");
    await page.locator(".history-item a.mono").first().click();
    await page.locator(".sync-detail").getByRole("button", { name: "Restore" }).waitFor();
    await page.goBack();
    await card.locator(".last-sync .status-succeeded").waitFor();

    fixture.stack.sim.setPermission(owner, name, "hubot", "read"); // the page's list is cached; the action asks afresh
    await card.getByRole("button", { name: "Full resync" }).click();
    await page.getByRole("button", { name: "Start full resync" }).click();
    await page.locator("#notices .notice").filter({ hasText: "needs write access" }).waitFor();
    await fixture.screenshot(page, "refused-action");
    expect(fixture.dialogs).toEqual([]);
  }, 120_000);

  it("shows a login that is HTML as text", async () => {
    const page = await fixture.openPage();
    await signIn(fixture, page, HOSTILE);
    expect(await page.locator("#account .login").textContent()).toBe(HOSTILE);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.title()).not.toBe("pwned");
  }, 60_000);

  it("shows nothing to someone with no role on the repository", async () => {
    const page = await fixture.openPage();
    await signIn(fixture, page, "eve");
    await page.getByRole("heading", { name: "No repositories yet" }).waitFor();
    const listed = await page.evaluate(async () => (await fetch("/api/v1/repos")).json());
    expect(listed).toEqual({ repos: [], nextCursor: null });
    expect(await page.locator("section.repo").count()).toBe(0);
  }, 60_000);

  it("offers Purge of an uninstalled repository to an admin only, and purges it", async () => {
    const { owner, name } = fixture.stack;
    await fixture.database.db.repository.updateMany({ data: { active: false } });
    fixture.stack.sim.setPermission(owner, name, "octo-admin", "admin");
    const writer = await fixture.openPage();
    fixture.stack.sim.setPermission(owner, name, "hubot", "write");
    await signIn(fixture, writer, "hubot");
    await writer.locator("section.repo .tag").filter({ hasText: "app not installed" }).waitFor();
    expect(await writer.getByRole("button", { name: "Purge" }).count()).toBe(0);

    const page = await fixture.openPage();
    await signIn(fixture, page, "octo-admin");
    await page.locator("section.repo").getByRole("button", { name: "Purge" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Purge" }).click();
    await page.locator("section.repo").waitFor({ state: "detached" });

    expect(await repos()).toBe(0);
  }, 90_000);
});
