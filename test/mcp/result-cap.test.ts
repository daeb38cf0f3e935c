import { describe, expect, it } from "@jest/globals";
import { cutText, fitPage, MAX_RESULT_CHARS } from "../../src/mcp/result-cap.js";

describe("fitPage", () => {
  const render = (kept: string[], cut: boolean) => ({
    items: kept,
    nextCursor: cut ? (kept.at(-1) ?? null) : null,
  });

  it("keeps a page that fits whole, with no cursor of its own", () => {
    const items = ["a", "b", "c"];

    expect(fitPage(items, render)).toEqual({ items, nextCursor: null });
  });

  it("keeps the longest head that fits the cap and points the cursor at its last item", () => {
    const items = Array.from(
      { length: 100 },
      (_, index) => `${String(index).padStart(3, "0")}${"x".repeat(1000)}`,
    );

    const page = fitPage(items, render) as { items: string[]; nextCursor: string };

    expect(JSON.stringify(page).length).toBeLessThanOrEqual(MAX_RESULT_CHARS);
    expect(JSON.stringify(render(items.slice(0, page.items.length + 1), true)).length).toBeGreaterThan(
      MAX_RESULT_CHARS,
    );
    expect(page.items).toEqual(items.slice(0, page.items.length));
    expect(page.nextCursor).toBe(page.items.at(-1));
  });
});

describe("cutText", () => {
  it("cuts at the last line end within the bound", () => {
    expect(cutText("one\ntwo\nthree\n", 9)).toEqual({ text: "one\ntwo\n", cut: true });
    expect(cutText("short\n", 100)).toEqual({ text: "short\n", cut: false });
  });
});
