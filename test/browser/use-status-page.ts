import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll } from "@jest/globals";
import type { Browser, BrowserContext, Dialog, Page } from "playwright-core";
import { type DemoStack, startDemoStack } from "../../demo/start-demo-stack.js";
import { waitForIdle } from "../../demo/wait-for-idle.js";
import { silentLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { launchChromium } from "./launch-chromium.js";

export const SCREENSHOTS = "artifacts/screenshots";

/** What useStatusPage hands each test. */
export type StatusPageFixture = {
  stack: DemoStack;
  database: TestDatabase;
  browser: Browser;
  /** every alert/confirm/prompt any page opened (the page itself never uses them: each one is a failure) */
  dialogs: string[];
  /** a fresh browser context and page (closed after the file's tests), failing on page errors */
  openPage: (options?: { width?: number; height?: number }) => Promise<Page>;
  /** saves `artifacts/screenshots/<name>.png` (the whole page, or only the viewport) */
  screenshot: (page: Page, name: string, options?: { fullPage?: boolean }) => Promise<void>;
  /** GET the app's REST API (with the token when the app has one) */
  api: <T>(path: string) => Promise<T>;
  /** waits until no sync of the repository is queued or running */
  idle: (minSyncs?: number) => Promise<void>;
};

/**
 * Call at the top of a describe: the real app (startApp, through the demo's stack: GitHub App on the simulator, its
 * start-up reconcile, webhooks) on a database of its own, a repository with a file whose name is HTML, and Chromium.
 * No nock anywhere: the browser, the app and the simulator talk over real sockets.
 */
export function useStatusPage(
  options: { files?: number; apiToken?: string; env?: Record<string, string> } = {},
): StatusPageFixture {
  const fixture = { dialogs: [] as string[] } as StatusPageFixture;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    fixture.database = await createTestDatabase();
    fixture.stack = await startDemoStack({
      files: options.files ?? 300,
      seed: 5,
      latencyMs: 0,
      port: 0,
      databaseUrl: fixture.database.url,
      apiToken: options.apiToken,
      ...(options.env ? { env: options.env } : {}),
      logLevel: "fatal",
      log: silentLogger,
    });
    fixture.idle = (minSyncs = 0) =>
      waitForIdle({
        appUrl: fixture.stack.url,
        owner: fixture.stack.owner,
        name: fixture.stack.name,
        minSyncs,
        timeoutMs: 60_000,
        apiToken: options.apiToken,
      });
    await fixture.idle(1);
    fixture.browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await fixture.browser?.close();
    await fixture.stack?.stop();
    await fixture.database?.drop();
    if (pageErrors.length > 0) throw new Error(`The page threw: ${pageErrors.join("; ")}`);
  }, 60_000);

  fixture.openPage = async ({ width = 1200, height = 900 } = {}) => {
    const context = await fixture.browser.newContext({ viewport: { width, height } });
    contexts.push(context);
    const page = await context.newPage();
    page.on("dialog", (dialog: Dialog) => {
      fixture.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  };
  fixture.screenshot = async (page, name, { fullPage = true } = {}) => {
    await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage });
  };
  fixture.api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${fixture.stack.url}/api/v1${path}`, {
      headers: options.apiToken ? { authorization: `Bearer ${options.apiToken}` } : {},
    });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return fixture;
}
