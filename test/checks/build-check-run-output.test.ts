import { describe, expect, it } from "@jest/globals";
import { buildCheckRunOutput, SUMMARY_LIMIT } from "../../src/checks/build-check-run-output.js";
import {
  buildCheckRunCreate,
  buildCheckRunUpdate,
  FULL_RESYNC_ACTION,
} from "../../src/checks/build-check-run-request.js";
import type { CheckRunSync } from "../../src/checks/check-run-sync.js";
import { visibleText } from "../../src/checks/markdown-code.js";
import type { SyncChange, SyncChanges } from "../../src/memory/list-sync-changes.js";

const NOW = new Date("2026-11-25T12:00:00.000Z");

function sync(overrides: Partial<CheckRunSync> = {}): CheckRunSync {
  return {
    id: "6f1c2a3b-0000-4000-8000-000000000001",
    branch: "main",
    headSha: "a".repeat(40),
    status: "succeeded",
    phase: "finalize",
    trigger: "push",
    full: false,
    counts: { added: 3, modified: 8, removed: 1, renamed: 0, unchanged: 120 },
    progress: null,
    error: null,
    attempt: 1,
    runAfter: null,
    retryOfSyncId: null,
    previousError: null,
    previousSyncId: "6f1c2a3b-0000-4000-8000-000000000000",
    baseSha: "b".repeat(40),
    baseSyncId: "6f1c2a3b-0000-4000-8000-000000000000",
    restoredFromSyncId: null,
    generation: 7,
    githubRequests: 3,
    filesFetched: 11,
    bytesFetched: 20480,
    requestedBy: "octocat",
    createdAt: new Date("2026-11-25T11:59:50.000Z"),
    startedAt: new Date("2026-11-25T11:59:52.000Z"),
    finishedAt: new Date("2026-11-25T11:59:55.200Z"),
    supersededBy: null,
    ...overrides,
  };
}

function changes(list: SyncChange[], totals?: SyncChanges["totals"]): SyncChanges {
  const count = (kind: SyncChange["change"]) => list.filter((change) => change.change === kind).length;
  return {
    changes: list,
    totals: totals ?? {
      added: count("added"),
      modified: count("modified"),
      removed: count("removed"),
      renamed: count("renamed"),
    },
  };
}

/** CommonMark's code span rule for one line: the texts of the code spans in it, in order. */
function codeSpans(line: string): string[] {
  const spans: string[] = [];
  let index = 0;
  while (index < line.length) {
    const open = /`+/.exec(line.slice(index));
    if (!open) break;
    const start = index + open.index;
    const fence = open[0];
    let search = start + fence.length;
    let end = -1;
    for (;;) {
      const close = /`+/.exec(line.slice(search));
      if (!close) break;
      if (close[0].length === fence.length) {
        end = search + close.index;
        break;
      }
      search += close.index + close[0].length;
    }
    if (end < 0) throw new Error(`unclosed code span in: ${line}`);
    let content = line.slice(start + fence.length, end);
    if (content.startsWith(" ") && content.endsWith(" ") && !/^ *$/.test(content))
      content = content.slice(1, -1);
    spans.push(content);
    index = end + fence.length;
  }
  return spans;
}

describe("buildCheckRunOutput", () => {
  it("a succeeded sync: counts in the title, and a summary with counts, changed paths, duration and lineage", () => {
    const output = buildCheckRunOutput(sync(), {
      now: NOW,
      changes: changes([
        { change: "added", path: "src/new.ts" },
        { change: "renamed", path: "docs/b.md", previousPath: "docs/a.md" },
      ]),
    });

    expect(output.title).toBe("Synced 12 files: +3 ~8 −1");
    expect(output.summary).toMatchSnapshot();
  });

  it("titles for every state a check run shows", () => {
    const titles = [
      sync({ status: "queued", phase: null }),
      sync({ status: "running", phase: "resolve" }),
      sync({ status: "running", phase: "fetch", progress: { done: 40, total: 300 } }),
      sync({ status: "succeeded", counts: { added: 0, modified: 0, removed: 0, renamed: 0, unchanged: 9 } }),
      sync({ status: "succeeded", counts: { added: 1, modified: 0, removed: 0, renamed: 2, unchanged: 9 } }),
      sync({
        status: "failed",
        phase: "fetch",
        error: { code: "GITHUB_UNAVAILABLE", message: "GitHub said 502\nretry" },
      }),
      sync({
        status: "cancelled",
        error: { code: "SUPERSEDED", message: "Superseded" },
        supersededBy: {
          id: "9a8b7c6d-1111-4000-8000-000000000002",
          headSha: "c".repeat(40),
          deletesBranch: false,
        },
      }),
      sync({ status: "cancelled", error: { code: "CONFLICT", message: "shutdown" } }),
      sync({
        status: "queued",
        attempt: 2,
        retryOfSyncId: "6f1c2a3b-0000-4000-8000-000000000009",
        runAfter: new Date(NOW.getTime() + 30_000),
      }),
      sync({
        status: "queued",
        attempt: 3,
        retryOfSyncId: "6f1c2a3b-0000-4000-8000-000000000009",
        runAfter: null,
      }),
    ].map((view) => buildCheckRunOutput(view, { now: NOW }).title);

    expect(titles).toEqual([
      "Queued",
      `Reading the tree of ${"a".repeat(7)}`,
      "Fetching content: 40 of 300 files",
      "Up to date: no file changed (9 files)",
      "Synced 3 files: +1 ~0 −0, 2 renamed",
      "Failed in fetch: GitHub said 502 retry",
      "Superseded by a newer request (sync 9a8b7c6d at ccccccc)",
      "Cancelled: shutdown",
      "Retrying in 30 s (attempt 2 of 4)",
      "Retrying now (attempt 3 of 4)",
    ]);
  });

  it("a retry shows why the previous attempt failed", () => {
    const output = buildCheckRunOutput(
      sync({
        status: "queued",
        attempt: 2,
        retryOfSyncId: "6f1c2a3b-0000-4000-8000-000000000009",
        runAfter: new Date(NOW.getTime() + 60_000),
        previousError: { code: "GITHUB_UNAVAILABLE", message: "GitHub is unavailable (502)" },
      }),
      { now: NOW },
    );

    expect(output.summary).toContain("### Previous attempt failed: `GITHUB_UNAVAILABLE`");
    expect(output.summary).toContain("GitHub is unavailable (502)");
  });

  it("thousands of long hostile paths: the summary stays under GitHub's limit, every shown path renders exactly, the rest are counted", () => {
    const hostile = [
      "`",
      "``",
      "|",
      "<script>",
      "\n# heading\n",
      "\r",
      "\u001b[31m",
      "\u202e",
      " ",
      "&amp;",
      "*",
      "](",
    ];
    const list: SyncChange[] = Array.from({ length: 5000 }, (_, i) => {
      const path = `${hostile[i % hostile.length]}dir-${i}/${"x".repeat(150 + (i % 50))}${hostile[(i + 3) % hostile.length]}.txt`;
      return i % 7 === 0
        ? { change: "renamed", path, previousPath: `${hostile[(i + 5) % hostile.length]}old-${i}` }
        : { change: i % 3 === 0 ? "removed" : "added", path };
    });
    const all = changes(list);

    const { summary } = buildCheckRunOutput(sync(), { now: NOW, changes: all });

    expect(Buffer.byteLength(summary, "utf8")).toBeLessThanOrEqual(SUMMARY_LIMIT);
    const items = summary.split("\n").filter((line) => /^- (added|removed|modified|renamed) /.test(line));
    expect(items.length).toBeGreaterThan(50);
    expect(summary).toContain(`_…and ${5000 - items.length} more not shown._`);
    items.forEach((line, i) => {
      const change = list[i] as SyncChange;
      const expected =
        change.change === "renamed"
          ? [visibleText(change.previousPath), visibleText(change.path)]
          : [visibleText(change.path)];
      expect(codeSpans(line)).toEqual(expected);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the markdown
      expect(line).not.toMatch(/[\u0000-\u001f\u202e]/);
    });
  });

  it("a path longer than 300 characters keeps its start and end", () => {
    const path = `start/${"m".repeat(5000)}/end.txt`;

    const { summary } = buildCheckRunOutput(sync(), {
      now: NOW,
      changes: changes([{ change: "added", path }]),
    });

    const line = summary.split("\n").find((text) => text.startsWith("- added ")) as string;
    const [shown] = codeSpans(line);
    expect(Array.from(shown ?? "")).toHaveLength(300);
    expect(shown).toMatch(/^start\/m+…m+\/end\.txt$/);
  });

  it("a huge error message and a hostile branch name never break the limit or the markup", () => {
    const { summary, title } = buildCheckRunOutput(
      sync({
        status: "failed",
        phase: "fetch",
        branch: "feat/`|<b>",
        error: { code: "INTERNAL", message: `${"```\n".repeat(20_000)}end` },
      }),
      { now: NOW, limit: 10_000 },
    );

    expect(Buffer.byteLength(summary, "utf8")).toBeLessThanOrEqual(10_000);
    expect(title.length).toBeLessThanOrEqual(200);
    expect(title).not.toContain("\n");
    expect(summary).toContain("branch ``feat/`|<b>``");
    const fence = /^(`{4,})text$/m.exec(summary)?.[1];
    expect(fence).toBeDefined();
    expect(summary.split("\n").filter((line) => line === fence)).toHaveLength(1);
  });
});

describe("check-run request bodies", () => {
  const output = { title: "t", summary: "s" };

  it("create: name, head SHA, external id, status, the Full resync action; details_url only with a public URL", () => {
    const queued = sync({ status: "queued", startedAt: null, finishedAt: null }) as CheckRunSync & {
      headSha: string;
    };

    expect(buildCheckRunCreate(queued, output, {})).toEqual({
      name: "Project Sync",
      head_sha: "a".repeat(40),
      external_id: queued.id,
      status: "queued",
      output,
      actions: [FULL_RESYNC_ACTION],
    });
    expect(buildCheckRunCreate(queued, output, { publicUrl: "https://sync.example.com/" }).details_url).toBe(
      `https://sync.example.com/syncs/${queued.id}`,
    );
  });

  it("the action fits GitHub's limits", () => {
    expect(FULL_RESYNC_ACTION.label.length).toBeLessThanOrEqual(20);
    expect(FULL_RESYNC_ACTION.description.length).toBeLessThanOrEqual(40);
    expect(FULL_RESYNC_ACTION.identifier.length).toBeLessThanOrEqual(20);
  });

  it("conclusions: success, failure, neutral when superseded, cancelled otherwise", () => {
    const conclusions = [
      sync({ status: "succeeded" }),
      sync({ status: "failed", error: { code: "INTERNAL", message: "x" } }),
      sync({ status: "cancelled", error: { code: "SUPERSEDED", message: "x" } }),
      sync({ status: "cancelled", error: { code: "CONFLICT", message: "x" } }),
    ].map((view) => buildCheckRunUpdate(view, output).conclusion);

    expect(conclusions).toEqual(["success", "failure", "neutral", "cancelled"]);
    expect(buildCheckRunUpdate(sync(), output)).toEqual({
      status: "completed",
      conclusion: "success",
      started_at: "2026-11-25T11:59:52.000Z",
      completed_at: "2026-11-25T11:59:55.200Z",
      output,
      actions: [FULL_RESYNC_ACTION],
    });
  });
});
