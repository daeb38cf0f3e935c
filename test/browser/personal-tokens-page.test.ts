// The personal tokens screen in Chromium, against the real app on the simulator: reached by signing in from it,
// a token created (shown once, copied), listed without its secret, used by a script, revoked (then refused); a name
// that is HTML shown as text. No nock: real sockets only.
import { describe, expect, it } from "@jest/globals";
import { HOSTILE, SIGN_IN_ENV, signIn } from "./sign-in-helpers.js";
import { useStatusPage } from "./use-status-page.js";

// used inside page.evaluate (the browser); this project compiles without the DOM library
declare const navigator: { clipboard: { readText(): Promise<string> } };

describe("the personal tokens screen", () => {
  const fixture = useStatusPage({ files: 20, apiToken: "browser-test-operator-token", env: SIGN_IN_ENV });
  const repos = (token: string) =>
    fetch(`${fixture.stack.url}/api/v1/repos`, { headers: { authorization: `Bearer ${token}` } });

  it("creates a token shown once, lists it without the secret, and revokes it", async () => {
    const { owner, name } = fixture.stack;
    fixture.stack.sim.setPermission(owner, name, "mona", "write");
    const page = await fixture.openPage();
    await page
      .context()
      .grantPermissions(["clipboard-read", "clipboard-write"], { origin: fixture.stack.url });
    await signIn(fixture, page, "mona", "/settings/tokens");
    await page.getByText("No tokens yet.").waitFor();

    await page.getByLabel("Name").fill(HOSTILE);
    await page.getByLabel("Scope").selectOption("read");
    await page.getByLabel("Expires").selectOption("7");
    await page.getByRole("button", { name: "Create token" }).click();
    const notice = page.getByRole("region", { name: "New token" });
    await notice.getByText("you won't see it again").waitFor();
    const token = await notice.getByRole("textbox", { name: "New token" }).inputValue();
    expect(token).toMatch(/^pst_/);
    await notice.getByRole("button", { name: "Copy" }).click();
    await notice.getByText("Copied.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    const row = page.locator(".tokens-table tbody tr");
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.locator(".token-name").textContent()).toBe(HOSTILE);
    expect(await row.locator("td").allTextContents()).toEqual([
      HOSTILE,
      "read",
      expect.stringMatching(/^(just now|\d+ seconds? ago)$/),
      "never",
      "in 7 days",
      "Revoke",
    ]);
    expect(await page.locator("img").count()).toBe(0);
    await fixture.screenshot(page, "personal-token-created");

    const used = await repos(token);
    expect(used.status).toBe(200);
    expect(((await used.json()) as { repos: unknown[] }).repos).toEqual([
      expect.objectContaining({ fullName: `${owner}/${name}`, access: "read" }),
    ]);

    await notice.getByRole("button", { name: "Done" }).click();
    await page.reload();
    await row.first().waitFor();
    expect(await page.content()).not.toContain(token);
    expect(await row.locator("td").nth(3).textContent()).not.toBe("never"); // last used by the script above

    await row.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No tokens yet.").waitFor();
    expect((await repos(token)).status).toBe(401);
    expect(fixture.dialogs).toEqual([]);
  }, 120_000);

  it("shows the server's refusal in the form, and keeps names within the server's bound", async () => {
    const page = await fixture.openPage();
    await signIn(fixture, page, "hubot", "/settings/tokens");
    const input = page.getByLabel("Name");
    await input.fill("x".repeat(150));
    expect((await input.inputValue()).length).toBe(100);

    await input.fill("   ");
    await page.getByRole("button", { name: "Create token" }).click();

    await page.getByRole("alert").filter({ hasText: "1 to 100 characters" }).waitFor();
    expect(await page.locator(".tokens-table").count()).toBe(0);
  }, 60_000);

  it("tells someone signed out to sign in, and an operator that tokens are a person's", async () => {
    const page = await fixture.openPage();
    await page.goto(`${fixture.stack.url}/settings/tokens`);
    await page.locator("main .sign-in-card").waitFor();
    await page.getByText("Operator: use the API token instead").click();
    await page.getByLabel("Token", { exact: true }).fill("browser-test-operator-token");
    await page.getByRole("button", { name: "Continue" }).click();

    await page.locator("#notices .notice").filter({ hasText: "managed by a signed-in person" }).waitFor();
  }, 60_000);
});
