import type { Page } from "playwright-core";

// page.evaluate callbacks run in the browser, but this project compiles without the DOM library: the few browser
// globals used there are declared here, loosely, for this module only.
type PageElement = {
  closest(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
};
declare const window: Record<string, unknown>;
declare const document: { body: PageElement };
declare const MutationObserver: new (
  callback: (
    records: { target: PageElement; attributeName: string | null; oldValue: string | null }[],
  ) => void,
) => { observe(target: PageElement, options: Record<string, unknown>): void };

export type RecordedProgress = { status: string[]; phase: string[]; value: number[] };

/**
 * Records, inside the page, every value the live progress element under `scope` shows: its `data-status`,
 * `data-phase` and the progress bar's value, in order. Each attribute change is a MutationRecord whose oldValue is the
 * value before it, so the old values plus the last current value are every value shown, even when several events are
 * rendered between two observer callbacks.
 */
export async function recordProgress(page: Page, scope: string): Promise<() => Promise<RecordedProgress>> {
  await page.evaluate((scopeSelector) => {
    type Entry = { name: string; old: string | null; now: string | null };
    const entries: Entry[] = [];
    window.__progress = entries;
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target;
        if (!target.closest(scopeSelector) || !target.closest(".sync-progress")) continue;
        const name = record.attributeName as string;
        entries.push({ name, old: record.oldValue, now: target.getAttribute(name) });
      }
    }).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeOldValue: true,
      attributeFilter: ["data-status", "data-phase", "value"],
    });
  }, scope);

  return async () => {
    const entries = (await page.evaluate(() => window.__progress)) as {
      name: string;
      old: string | null;
      now: string | null;
    }[];
    const sequence = (name: string) => {
      const mine = entries.filter((entry) => entry.name === name);
      const values = [...mine.map((entry) => entry.old), mine.at(-1)?.now ?? null];
      return values.filter(
        (value, index): value is string => value !== null && value !== "" && value !== values[index - 1],
      );
    };
    return {
      status: sequence("data-status"),
      phase: sequence("data-phase"),
      value: sequence("value").map(Number),
    };
  };
}
