// The compare, changes and file views in a real Chromium against the real app (GitHub App on the simulator): no nock
// here or in anything imported.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { HOSTILE_BRANCH, pushDemoCommits } from "../../demo/push-demo-commits.js";
import type { SyncComparison } from "../../src/service/compare-syncs.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import { useStatusPage } from "./use-status-page.js";

type SyncList = { syncs: SyncView[]; nextCursor: string | null };
const HOSTILE_NOTE = 'notes/"><img src=x onerror=alert(2)>.md';

describe("compare, changes and file views in Chromium", () => {
  const fixture = useStatusPage({ files: 300 });
  let main: SyncView[];
  let hostile: SyncView;

  beforeAll(async () => {
    await pushDemoCommits(fixture.stack, { pauseMs: 0, say: () => {} });
    await fixture.idle();
    const repo = `/repos/${fixture.stack.owner}/${fixture.stack.name}`;
    main = (await fixture.api<SyncList>(`${repo}/syncs?branch=main&limit=100`)).syncs.filter(
      (sync) => sync.status === "succeeded",
    );
    hostile = (
      await fixture.api<SyncList>(`${repo}/syncs?branch=${encodeURIComponent(HOSTILE_BRANCH)}&limit=100`)
    ).syncs[0] as SyncView;
  }, 90_000);

  it("a sync's Changes link lists what it changed, with each file's diff as added and removed lines", async () => {
    const newest = main[0] as SyncView;
    const expected = await fixture.api<SyncComparison>(`/syncs/${newest.id}/changes?diff=true&limit=50`);
    const page = await fixture.openPage();

    await page.goto(`${fixture.stack.url}/syncs/${newest.id}`);
    await page.locator(".changes-link").click();
    await page.locator(".change").first().waitFor();

    expect(new URL(page.url()).pathname).toBe(`/syncs/${newest.id}/changes`);
    expect(
      await page
        .locator(".change")
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-path"))),
    ).toEqual(expected.changes.map((change) => change.path));
    const modified = expected.changes.find((change) => change.status === "modified" && change.patch?.text);
    if (!modified?.patch?.text) throw new Error("the newest sync modified no text file");
    const item = page.locator(`.change[data-path="${modified.path}"]`);
    const added = modified.patch.text
      .split("\n")
      .filter((line) => line.startsWith("+") && !line.startsWith("+++"));
    const removed = modified.patch.text
      .split("\n")
      .filter((line) => line.startsWith("-") && !line.startsWith("---"));
    expect(await item.locator(".line.added").allTextContents()).toEqual(added.map((line) => `${line}\n`));
    expect(await item.locator(".line.removed").allTextContents()).toEqual(removed.map((line) => `${line}\n`));
    expect(await page.locator(".totals").textContent()).toContain(`${expected.totals.modified} modified`);
    await fixture.screenshot(page, "sync-changes", { fullPage: false }); // the page holds every patch: a full-page capture is slow
    expect(fixture.dialogs).toEqual([]);
  }, 60_000);

  it("compares with another sync picked on the sync's page, across branches; hostile names stay text", async () => {
    const oldest = main.at(-1) as SyncView;
    const expected = await fixture.api<SyncComparison>(`/syncs/${oldest.id}/compare/${hostile.id}?limit=50`);
    const page = await fixture.openPage();

    await page.goto(`${fixture.stack.url}/syncs/${oldest.id}`);
    await page.locator(`#compare-with option[value="${hostile.id}"]`).waitFor({ state: "attached" });
    await page.locator("#compare-with").selectOption(hostile.id);
    await page.getByRole("button", { name: "Compare" }).click();
    await page.locator(".change").first().waitFor();

    expect(new URL(page.url()).pathname).toBe(`/syncs/${oldest.id}/compare/${hostile.id}`);
    expect(
      await page
        .locator(".change")
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-status"))),
    ).toEqual(expected.changes.map((change) => change.status));
    expect(await page.locator(".change .path:not(.previous)").allTextContents()).toContain(HOSTILE_NOTE);
    expect(await page.locator("main img, main svg, main script").count()).toBe(0);
    await fixture.screenshot(page, "compare", { fullPage: false });
  }, 60_000);

  it("opens a file from the memory list with line numbers, as of the sync; a binary file is named", async () => {
    const newest = main[0] as SyncView;
    const page = await fixture.openPage();
    await page.goto(`${fixture.stack.url}/syncs/${newest.id}`);
    const link = page.locator(".file .path a").first();
    await link.waitFor();
    const path = (await link.textContent()) as string;

    await link.click();
    await page.locator(".file-view").waitFor();

    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get("path"), url.searchParams.get("asOf")]).toEqual([
      `/repos/${fixture.stack.owner}/${fixture.stack.name}/file`,
      path,
      newest.id,
    ]);
    const file = await fixture.api<{ content: string | null; omitted: string | null }>(
      `/repos/${fixture.stack.owner}/${fixture.stack.name}/memory/file?path=${encodeURIComponent(path)}&asOf=${newest.id}`,
    );
    if (file.content === null) {
      expect(await page.locator(".omitted").getAttribute("data-omitted")).toBe(file.omitted);
    } else {
      const lines = file.content.replace(/\n$/, "").split("\n");
      expect(await page.locator(".file-content .line-number").count()).toBe(lines.length);
      expect(await page.locator(".file-content .line-text").first().textContent()).toBe(lines[0]);
    }

    const binary = await fixture.api<{ entries: { path: string; omitted: string | null }[] }>(
      `/repos/${fixture.stack.owner}/${fixture.stack.name}/memory?asOf=${newest.id}&limit=5000`,
    );
    const omitted = binary.entries.find((entry) => entry.omitted === "binary");
    if (!omitted) throw new Error("the demo repository has no binary file");
    const query = new URLSearchParams({ path: omitted.path, asOf: newest.id });
    await page.goto(`${fixture.stack.url}/repos/${fixture.stack.owner}/${fixture.stack.name}/file?${query}`);
    await page.locator(".omitted").waitFor();
    expect(await page.locator(".omitted").textContent()).toContain("binary");

    const hostileQuery = new URLSearchParams({ path: HOSTILE_NOTE, asOf: hostile.id });
    await page.goto(
      `${fixture.stack.url}/repos/${fixture.stack.owner}/${fixture.stack.name}/file?${hostileQuery}`,
    );
    await page.locator(".file-view h2").waitFor();
    expect(await page.locator(".file-view h2").textContent()).toBe(HOSTILE_NOTE);
    expect(await page.locator(".file-content .line-text").allTextContents()).toEqual([
      "# Also shown as text",
    ]);
    expect(await page.locator("main img, main svg, main script").count()).toBe(0);
    await fixture.screenshot(page, "file-view");
    expect(fixture.dialogs).toEqual([]);
  }, 60_000);
});
