// The page on a server started with API_TOKEN: it asks for the token once (a form, never prompt()), keeps it for the
// browser session and sends it on every API call and event stream. No nock: real sockets only.
import { describe, expect, it } from "@jest/globals";
import { useStatusPage } from "./use-status-page.js";

const TOKEN = "browser-test-api-token";
// used inside page.evaluate (the browser); this project compiles without the DOM library
declare const sessionStorage: { getItem(key: string): string | null };

describe("the status page behind API_TOKEN", () => {
  const fixture = useStatusPage({ files: 60, apiToken: TOKEN });

  it("asks for the token once, refuses a wrong one, then shows the data and follows a sync with it", async () => {
    const page = await fixture.openPage();

    await page.goto(fixture.stack.url);
    await page.getByLabel("Token", { exact: true }).waitFor();
    expect(await page.locator("section.repo").count()).toBe(0);
    await fixture.screenshot(page, "token-prompt");

    await page.getByLabel("Token", { exact: true }).fill("not-the-token");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("That token was refused.").waitFor();

    await page.getByLabel("Token", { exact: true }).fill(TOKEN);
    await page.getByRole("button", { name: "Continue" }).click();
    const card = page.locator('article.branch[data-branch="main"]');
    await card.locator(".last-sync .status-succeeded").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("project-sync.api-token"))).toBe(TOKEN);

    // the event stream needs the token too: a sync started here is followed to its end
    await card.getByRole("button", { name: "Sync", exact: true }).click();
    await page.getByRole("button", { name: "Start sync" }).click();
    await card.locator(".last-sync").filter({ hasText: "manual" }).locator(".status-succeeded").waitFor();

    // kept for the session: a reload asks nothing
    await page.reload();
    await card.locator(".last-sync .status-succeeded").waitFor();
    expect(await page.getByLabel("Token", { exact: true }).count()).toBe(0);
    expect(fixture.dialogs).toEqual([]);
  }, 90_000);

  it("asks again in a new browser session", async () => {
    const page = await fixture.openPage();

    await page.goto(fixture.stack.url);

    await page.getByLabel("Token", { exact: true }).waitFor();
    expect(await page.locator("section.repo").count()).toBe(0);
  }, 30_000);
});
