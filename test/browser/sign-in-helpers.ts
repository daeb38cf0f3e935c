import { expect } from "@jest/globals";
import type { Page } from "playwright-core";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import type { StatusPageFixture } from "./use-status-page.js";

/** The app's environment for sign in with GitHub against the simulator's OAuth client. */
export const SIGN_IN_ENV = {
  GITHUB_CLIENT_ID: SIM_OAUTH_CLIENT.clientId,
  GITHUB_CLIENT_SECRET: SIM_OAUTH_CLIENT.clientSecret,
  SESSION_SECRET: "a-session-secret-for-the-browser-test-0123",
};

/** A login no real GitHub account has: HTML, which the page must show as text. */
export const HOSTILE = `<img src=x onerror="document.title='pwned'">`;

/**
 * Opens `path` signed out, follows the page's own "Sign in with GitHub" (GitHub's page answers at once for `login`)
 * and waits until the page is back at `path` with the person's login in the header.
 */
export async function signIn(
  fixture: StatusPageFixture,
  page: Page,
  login: string,
  path = "/",
): Promise<void> {
  fixture.stack.sim.signInAs(login);
  await page.goto(`${fixture.stack.url}${path}`);
  await page.locator("main").getByRole("link", { name: "Sign in with GitHub" }).click();
  await page.locator("#account .login").filter({ hasText: login }).waitFor();
  expect(new URL(page.url()).pathname).toBe(path);
}
