// The search page in a real Chromium against the real app (GitHub App on the simulator): no nock here or in anything
// imported.
import { beforeAll, describe, expect, it } from "@jest/globals";
import type { Page } from "playwright-core";
import { waitForIdle } from "../../demo/wait-for-idle.js";
import { commitChanges, type FileChange } from "../../sim/generate/commit-changes.js";
import type { SyncView } from "../../src/sync/sync-view.js";
import { useStatusPage } from "./use-status-page.js";

type SyncList = { syncs: SyncView[]; nextCursor: string | null };
// a word the generated repository never holds
const WORD = "zqxneedle";
const HOSTILE_LINE = `<img src=x onerror=alert(1)> ${WORD}`;
const PROBE_V1 = `first line\nthe ${WORD}-alpha is here\n${HOSTILE_LINE}\nlast line\n`;
// more files holding "zqxmany" than a page of results (20)
const MANY = 23;
const PROBE_V2 = `first line\nnothing to see\n\nlast line\nthe ${WORD}-beta now\n`;

describe("the search page in Chromium", () => {
  const fixture = useStatusPage({ files: 60 });
  let older: SyncView;
  let repoPath: string;

  const push = async (branch: string, parent: string, changes: Record<string, FileChange>) => {
    const { stack } = fixture;
    const sha = await commitChanges({
      gitDir: stack.gitDir,
      parent,
      changes,
      message: `search probe ${branch}\n`,
    });
    const delivery = await stack.sim.push(stack.owner, stack.name, branch, sha, { sender: "octocat" });
    if (delivery.status === 0 || delivery.status >= 300) throw new Error(`push webhook: ${delivery.status}`);
    await waitForIdle({ appUrl: stack.url, owner: stack.owner, name: stack.name, timeoutMs: 60_000 });
    return sha;
  };

  const mainSyncs = async () =>
    (await fixture.api<SyncList>(`${repoPath}/syncs?branch=main&limit=100`)).syncs.filter(
      (sync) => sync.status === "succeeded",
    );

  beforeAll(async () => {
    repoPath = `/repos/${fixture.stack.owner}/${fixture.stack.name}`;
    const first = await push("main", fixture.stack.head, {
      "search/probe.txt": PROBE_V1,
      "other/probe.md": `# Other\n\n${WORD.toUpperCase()} in capitals, and ${WORD} in small letters\n`,
      ...Object.fromEntries(
        Array.from({ length: MANY }, (_, index) => [`many/file-${index}.txt`, `zqxmany number ${index}\n`]),
      ),
    });
    older = (await mainSyncs())[0] as SyncView;
    await push("main", first, { "search/probe.txt": PROBE_V2 });
    await push("feature/probe", first, { "feature/only-here.txt": `${WORD} on a branch\n` });
    // the background indexer marks each sync searchable once the index holds all of it
    for (let tries = 0; !older.searchableAt && tries < 120; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      older = await fixture.api<SyncView>(`/syncs/${older.id}`);
    }
  }, 180_000);

  /** the page of a search, waited for until its results (or its error) are shown */
  const search = async (page: Page, params: Record<string, string>) => {
    await page.goto(`${fixture.stack.url}${repoPath}/search?${new URLSearchParams(params)}`);
    await page.locator(".search-count, .search-error").first().waitFor();
  };

  const hits = (page: Page) =>
    page.locator(".search-result").evaluateAll((items) =>
      items
        .map((item) => ({
          path: item.getAttribute("data-path"),
          lines: [...item.querySelectorAll("tr.hit")].map((row) => Number(row.getAttribute("data-line"))),
          marks: [...item.querySelectorAll("mark")].map((mark) => mark.textContent),
        }))
        .sort((a, b) => String(a.path).localeCompare(String(b.path))),
    );

  it("finds the query through the form: paths, line numbers and highlighted matches; HTML in a line stays text", async () => {
    const page = await fixture.openPage();
    await page.goto(`${fixture.stack.url}/`);
    await page.locator(".search-link").first().click();
    await page.getByLabel("Search for").fill(WORD);

    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.locator(".search-result").first().waitFor();

    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get("q"), url.searchParams.get("branch")]).toEqual([
      `${repoPath}/search`,
      WORD,
      "main",
    ]);
    expect(await hits(page)).toEqual([
      { path: "other/probe.md", lines: [3], marks: [WORD] },
      { path: "search/probe.txt", lines: [5], marks: [WORD] },
    ]);
    expect(await page.locator(".search-method").getAttribute("data-method")).toMatch(/^(trigram|scan)$/);
    expect(await page.locator(".search-coverage").textContent()).toBeTruthy();
    expect(await page.locator(".search-partial").count()).toBe(0);
    expect(await page.getByLabel("Search for").inputValue()).toBe(WORD);
    expect(
      new URL(
        (await page.locator('.search-result[data-path="search/probe.txt"] tr.hit a').getAttribute("href")) ??
          "",
        fixture.stack.url,
      ).search,
    ).toBe(`?${new URLSearchParams({ path: "search/probe.txt", branch: "main" })}`);
    expect(fixture.dialogs).toEqual([]);
  }, 60_000);

  it("searches as of an older sync picked in the form, and the hit opens the file view at that line", async () => {
    const page = await fixture.openPage();
    await search(page, { q: WORD, branch: "main" });

    await page.getByLabel("As of").selectOption(older.id);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("asOf") === older.id);
    await page.locator(".search-count").waitFor();

    expect(await hits(page)).toEqual([
      { path: "other/probe.md", lines: [3], marks: [WORD] },
      { path: "search/probe.txt", lines: [2, 3], marks: [WORD, WORD] },
    ]);
    const hostile = page.locator(
      '.search-result[data-path="search/probe.txt"] tr.hit[data-line="3"] .line-text',
    );
    expect(await hostile.textContent()).toBe(HOSTILE_LINE);
    expect(await hostile.locator("mark").count()).toBe(1);
    expect(await page.locator("main img, main svg, main script").count()).toBe(0);
    expect(await page.locator('.search-result tr.context[data-line="4"]').textContent()).toContain(
      "last line",
    );

    expect(await page.locator(".search-lag").getAttribute("data-searchable")).toBe("true");

    await page.locator('.search-result[data-path="search/probe.txt"] tr.hit[data-line="3"] a').click();
    await page.locator(".file-view").waitFor();
    const url = new URL(page.url());
    expect([url.searchParams.get("path"), url.searchParams.get("asOf"), url.hash]).toEqual([
      "search/probe.txt",
      older.id,
      "#L3",
    ]);
    expect(await page.locator("tr.target .line-text").textContent()).toBe(HOSTILE_LINE);
    expect(await page.locator("main img, main svg, main script").count()).toBe(0);
    expect(fixture.dialogs).toEqual([]);
  }, 60_000);

  it("a regular expression, a path glob, no case and all branches narrow or widen the results", async () => {
    const page = await fixture.openPage();

    await search(page, { q: `${WORD}-(alpha|beta)`, regex: "true", asOf: older.id });
    expect(await hits(page)).toEqual([{ path: "search/probe.txt", lines: [2], marks: [`${WORD}-alpha`] }]);

    await search(page, { q: WORD, path: "other/**/*.md" });
    expect((await hits(page)).map((hit) => hit.path)).toEqual(["other/probe.md"]);

    await search(page, { q: WORD, case: "insensitive", path: "other/" });
    expect(await hits(page)).toEqual([
      { path: "other/probe.md", lines: [3], marks: [WORD.toUpperCase(), WORD] },
    ]);

    await search(page, { q: WORD, allBranches: "true" });
    const branches = await page
      .locator('.search-result[data-path="feature/only-here.txt"] .result-branch')
      .allTextContents();
    expect(branches).toEqual(["feature/probe"]);
    expect(await page.getByLabel("As of").isDisabled()).toBe(true);
  }, 60_000);

  it("pages with More results until every matching file is shown", async () => {
    const page = await fixture.openPage();
    await search(page, { q: "zqxmany" });
    expect(await page.locator(".search-result").count()).toBe(20);

    await page.getByRole("button", { name: "More results" }).click();
    await page
      .locator(".search-result")
      .nth(MANY - 1)
      .waitFor();

    const paths = await page
      .locator(".search-result")
      .evaluateAll((items) => items.map((item) => item.getAttribute("data-path")));
    expect(paths.sort()).toEqual(Array.from({ length: MANY }, (_, index) => `many/file-${index}.txt`).sort());
    expect(await page.getByRole("button", { name: "More results" }).isHidden()).toBe(true);
    expect(await page.locator(".search-count").textContent()).toBe(`${MANY} files shown.`);
  }, 60_000);

  it("an invalid regular expression and an unknown branch are shown as errors, as text", async () => {
    const page = await fixture.openPage();

    await search(page, { q: `${WORD}(`, regex: "true" });
    expect(await page.locator(".search-error").textContent()).toContain("not valid RE2 syntax");
    expect(await page.locator(".search-result").count()).toBe(0);

    await search(page, { q: WORD, branch: "<b>no-such-branch" });
    expect(await page.locator(".search-error").textContent()).toContain('"<b>no-such-branch"');
    expect(await page.locator("main b").count()).toBe(0);
    expect(fixture.dialogs).toEqual([]);
  }, 60_000);
});
