// The status page in a real Chromium against the real app (GitHub App on the simulator, REST API, SSE): no nock here
// or in anything imported, since the browser, the app and the simulator talk over real sockets.
import { beforeAll, describe, expect, it } from "@jest/globals";
import type { Locator, Page } from "playwright-core";
import { HOSTILE_BRANCH, pushDemoCommits } from "../../demo/push-demo-commits.js";
import { HOSTILE_FILE } from "../../demo/start-demo-stack.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import { recordProgress } from "./record-progress.js";
import { useStatusPage } from "./use-status-page.js";

type SyncList = { syncs: SyncView[]; nextCursor: string | null };
type MemoryPage = { entries: { path: string; blobSha: string }[]; nextCursor: string | null };

/** An attribute of every element the locator matches, in document order. */
function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  return locator.evaluateAll(
    (elements, attribute) => elements.map((element) => element.getAttribute(attribute)),
    name,
  );
}

/** How far the page is wider than the viewport (0: no horizontal scrolling). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.locator("html").evaluate((html) => Math.max(0, html.scrollWidth - html.clientWidth));
}

describe("the status page in Chromium", () => {
  const fixture = useStatusPage({ files: 300 });
  const repoPath = () => `/repos/${fixture.stack.owner}/${fixture.stack.name}`;
  const history = async (branch?: string) =>
    (
      await fixture.api<SyncList>(
        `${repoPath()}/syncs?limit=100${branch ? `&branch=${encodeURIComponent(branch)}` : ""}`,
      )
    ).syncs;
  const mainCard = (page: Page) => page.locator('article.branch[data-branch="main"]');

  beforeAll(async () => {
    // the demo's pushes: main, a new branch whose name is HTML (adding a file whose name is HTML), main again
    await pushDemoCommits(fixture.stack, { pauseMs: 0, say: () => {} });
    await fixture.idle();
  }, 60_000);

  it("shows the repository, its branches with their state, and the history with lineage", async () => {
    const syncs = await history();
    const page = await fixture.openPage();

    await page.goto(fixture.stack.url);
    await page
      .locator(".history-item")
      .nth(syncs.length - 1)
      .waitFor();

    expect(syncs.at(-1)?.trigger).toBe("reconcile");
    expect(await attributes(page.locator(".history-item"), "data-sync-id")).toEqual(
      syncs.map((sync) => sync.id),
    );
    const newestMain = syncs.find((sync) => sync.branch === "main") as SyncView;
    const item = page.locator(`.history-item[data-sync-id="${newestMain.id}"]`);
    expect(await item.locator(".lineage").textContent()).toContain(`generation ${newestMain.generation}`);
    expect(await attributes(item.locator(".lineage a"), "href")).toContain(
      `/syncs/${newestMain.previousSyncId}`,
    );
    const card = mainCard(page);
    expect(await card.locator(".in-sync").textContent()).toBe("memory in sync");
    expect(await card.locator(".last-sync a").getAttribute("href")).toBe(`/syncs/${newestMain.id}`);
    expect(await card.locator(".last-sync .badge").textContent()).toBe("succeeded");
    await fixture.screenshot(page, "home");
    expect(fixture.dialogs).toEqual([]);
  }, 90_000);

  it("starts a full resync after confirming, shows its progress live, then the history shows it", async () => {
    const before = await history("main");
    const page = await fixture.openPage();
    await page.goto(fixture.stack.url);
    await mainCard(page).locator(".last-sync").waitFor();
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    const recorded = await recordProgress(page, 'article.branch[data-branch="main"]');

    // cancelling the confirmation starts nothing
    await mainCard(page).getByRole("button", { name: "Full resync" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    // a <dialog>'s close event (which removes it) comes in a task after the click
    await page.locator("dialog").waitFor({ state: "detached" });
    expect(await page.locator("dialog").count()).toBe(0);
    expect((await history("main")).length).toBe(before.length);

    // slow GitHub down so the screenshot catches the fetch phase; every event is replayed over SSE in any case
    fixture.stack.sim.setLatency(800);
    await mainCard(page).getByRole("button", { name: "Full resync" }).click();
    await page.getByRole("button", { name: "Start full resync" }).click();
    await mainCard(page).locator('.sync-progress[data-phase="fetch"]').waitFor();
    await fixture.screenshot(page, "live-progress");
    fixture.stack.sim.setLatency(0);
    await mainCard(page).locator(".last-sync .status-succeeded").waitFor({ timeout: 60_000 });

    const [started] = await history("main");
    expect(started).toMatchObject({ trigger: "manual", full: true, status: "succeeded" });
    expect(started?.id).not.toBe(before[0]?.id);
    const shown = await recorded();
    expect(shown.status).toEqual(
      ["queued", "running", "succeeded"].filter((status) => shown.status.includes(status)),
    );
    expect(shown.status.at(-1)).toBe("succeeded");
    expect(shown.status).toContain("running");
    expect(shown.phase).toEqual(["resolve", "diff", "fetch", "finalize"]);
    expect(shown.value.some((value) => value > 0 && value < 100)).toBe(true);
    expect(shown.value.at(-1)).toBe(100);
    expect(await page.evaluate(() => "notReloaded" in globalThis)).toBe(true);
    const first = page.locator(".history-item").first();
    await page.locator(`.history-item[data-sync-id="${started?.id}"][data-status="succeeded"]`).waitFor();
    expect(await first.getAttribute("data-sync-id")).toBe(started?.id);
    expect(await first.textContent()).toContain("manual · full");
    expect(fixture.dialogs).toEqual([]);
  }, 90_000);

  it("restores a past sync after confirming and follows the restore on its own page", async () => {
    const reconcile = (await history("main")).find((sync) => sync.trigger === "reconcile") as SyncView;
    const page = await fixture.openPage();
    await page.goto(fixture.stack.url);

    await page
      .locator(`.history-item[data-sync-id="${reconcile.id}"]`)
      .getByRole("button", { name: "Restore" })
      .click();
    await page.locator("dialog").getByRole("button", { name: "Restore" }).click();
    await page.waitForURL(/\/syncs\/[0-9a-f-]{36}$/);
    const restoreId = new URL(page.url()).pathname.split("/").at(-1) as string;
    await page.locator('article.sync-detail[data-status="succeeded"]').waitFor({ timeout: 60_000 });

    const restore = await fixture.api<SyncView>(`/syncs/${restoreId}`);
    expect(restore).toMatchObject({
      trigger: "restore",
      status: "succeeded",
      restoredFromSyncId: reconcile.id,
    });
    const fields = page.locator("dl.fields");
    expect(await fields.locator(`a[href="/syncs/${reconcile.id}"]`).count()).toBeGreaterThan(0);
    expect(await fields.textContent()).toContain("restore");
    // memory is now what it was after the restored sync
    expect(await memory(`branch=main`)).toEqual(await memory(`branch=main&asOf=${reconcile.id}`));
    await fixture.screenshot(page, "restore");
    expect(fixture.dialogs).toEqual([]);
  }, 90_000);

  it("shows hostile branch and file names as text, never as HTML", async () => {
    const page = await fixture.openPage();
    await page.goto(fixture.stack.url);

    const branch = page.locator("article.branch").filter({ hasText: "onload" });
    await branch.waitFor();
    expect(await branch.locator("h3").textContent()).toBe(HOSTILE_BRANCH);
    expect(await branch.getAttribute("data-branch")).toBe(HOSTILE_BRANCH);
    const branchSync = (await history(HOSTILE_BRANCH))[0] as SyncView;
    expect(
      await page.locator(`.history-item[data-sync-id="${branchSync.id}"] .branch-name`).textContent(),
    ).toBe(HOSTILE_BRANCH);
    await fixture.screenshot(page, "hostile-branch");

    const reconcile = (await history("main")).find((sync) => sync.trigger === "reconcile") as SyncView;
    await page.goto(`${fixture.stack.url}/syncs/${reconcile.id}`);
    await page.getByLabel("Path prefix").fill("docs/<img");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator(".file .path").filter({ hasText: "onerror" }).waitFor();
    expect(await page.locator(".file .path").allTextContents()).toEqual([HOSTILE_FILE]);
    await fixture.screenshot(page, "hostile-file");

    await page.goto(`${fixture.stack.url}/syncs/${branchSync.id}`);
    await page.getByLabel("Path prefix").fill('notes/"');
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator(".file .path").first().waitFor();
    expect(await page.locator(".file .path").allTextContents()).toEqual([
      'notes/"><img src=x onerror=alert(2)>.md',
    ]);

    expect(await page.locator("main img, main svg, main script").count()).toBe(0);
    expect(fixture.dialogs).toEqual([]);
  }, 60_000);

  it("shows parked webhook deliveries with their error as text, and retries one from the page", async () => {
    const tagPush = {
      ref: "refs/tags/v1",
      before: "0".repeat(40),
      after: "1".repeat(40),
      created: true,
      deleted: false,
      forced: false,
      commits: [],
      repository: { id: 1, name: "r", owner: { login: "o" }, default_branch: "main", private: false },
      installation: { id: 1 },
      sender: { login: "someone" },
    };
    const at = new Date();
    await fixture.database.db.webhookDelivery.create({
      data: {
        id: "parked-in-browser",
        event: "push",
        status: "parked",
        payload: JSON.stringify(tagPush),
        receivedAt: at,
        runAfter: at,
        processedAt: at,
        attempts: 8,
        errorCode: "GITHUB_UNAVAILABLE",
        error: "GitHub answered 502 <img src=x onerror=alert(3)>",
      },
    });
    const page = await fixture.openPage();

    await page.goto(fixture.stack.url);
    const item = page.locator('.parked-delivery[data-delivery-id="parked-in-browser"]');
    await item.waitFor();
    expect(await page.locator(".inbox-notice h2").textContent()).toBe("Webhook inbox");
    expect(await item.locator(".delivery-error").textContent()).toBe(
      "GITHUB_UNAVAILABLE: GitHub answered 502 <img src=x onerror=alert(3)>",
    );
    expect(await page.locator("main img").count()).toBe(0);
    await fixture.screenshot(page, "inbox-notice");
    await item.getByRole("button", { name: "Retry" }).click();
    await page.locator("dialog.confirm").getByRole("button", { name: "Retry" }).click();

    await waitUntil(async () => {
      const delivery = await fixture.api<{ status: string }>("/deliveries/parked-in-browser");
      return delivery.status === "processed";
    });
    expect(fixture.dialogs).toEqual([]);
  }, 60_000);

  it("lists outbound webhook endpoints with their deliveries as text, and redelivers one from the page", async () => {
    const repository = await fixture.database.db.repository.findFirstOrThrow();
    // straight into the table: the app refuses this loopback target (WEBHOOK_ALLOW_PRIVATE_TARGETS is unset), so
    // every attempt fails with its reason
    const endpoint = await fixture.database.db.webhookEndpoint.create({
      data: {
        url: "http://127.0.0.1:9/hook",
        repositoryId: repository.id,
        description: "CI <img src=x onerror=alert(4)>",
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      },
    });
    const started = await fetch(`${fixture.stack.url}/api/v1${repoPath()}/syncs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(started.status).toBe(202);
    await waitUntil(async () => (await fixture.database.db.outboxAttempt.count()) > 0);
    const page = await fixture.openPage();

    await page.goto(fixture.stack.url);
    const item = page.locator(`.webhook-endpoint[data-webhook-id="${endpoint.id}"]`);
    await item.locator(".webhook-delivery").first().waitFor();
    expect(await item.locator(".webhook-description").textContent()).toBe("CI <img src=x onerror=alert(4)>");
    expect(await item.locator(".webhook-delivery .delivery-error").first().textContent()).toMatch(
      /not a public address|cannot be used/,
    );
    expect(await page.locator("main img").count()).toBe(0);
    await item.scrollIntoViewIfNeeded();
    await fixture.screenshot(page, "webhooks-panel", { fullPage: false });
    const before = await fixture.database.db.outboxAttempt.count();
    await item.getByRole("button", { name: "Redeliver" }).first().click();

    await waitUntil(async () => (await fixture.database.db.outboxAttempt.count()) > before);
    expect(fixture.dialogs).toEqual([]);
    await fixture.database.db.webhookEndpoint.delete({ where: { id: endpoint.id } });
  }, 60_000);

  it("fits a phone screen without horizontal scrolling", async () => {
    const syncs = await history();
    const page = await fixture.openPage({ width: 375, height: 740 });

    await page.goto(fixture.stack.url);
    await page
      .locator(".history-item")
      .nth(syncs.length - 1)
      .waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await fixture.screenshot(page, "phone-home", { fullPage: false });

    await page.goto(`${fixture.stack.url}/syncs/${syncs[0]?.id}`);
    await page.locator(".file").first().waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await fixture.screenshot(page, "phone-sync", { fullPage: false });
  }, 60_000);

  it("shows the API's error for a sync that does not exist", async () => {
    const page = await fixture.openPage();

    await page.goto(`${fixture.stack.url}/syncs/00000000-0000-4000-8000-000000000000`);
    await page.locator(".notice").waitFor();
    expect(await page.locator(".notice").textContent()).toContain(
      "No sync with id 00000000-0000-4000-8000-000000000000",
    );

    await page.goto(`${fixture.stack.url}/syncs/not-a-sync`);
    await page.locator(".notice").waitFor();
    expect(await page.locator(".notice").textContent()).toContain("is not a sync id");
  }, 30_000);

  /** Every entry of a memory listing, as path → blob SHA. */
  async function memory(query: string): Promise<Record<string, string>> {
    const page = await fixture.api<MemoryPage>(`${repoPath()}/memory?limit=5000&${query}`);
    expect(page.nextCursor).toBeNull();
    return Object.fromEntries(page.entries.map((entry) => [entry.path, entry.blobSha]));
  }
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
