import { h } from "./dom.js";
import { shortId } from "./format.js";

/**
 * A link to a sync's page, showing the start of its id.
 * @param {string | null | undefined} id
 */
export function syncLink(id) {
  if (!id) return h("span", { class: "muted" }, "—");
  return h("a", { href: `/syncs/${encodeURIComponent(id)}`, class: "mono", title: id }, `#${shortId(id)}`);
}

/**
 * A timestamp as "3 minutes ago", with the exact time as a tooltip and machine-readable datetime.
 * @param {string | null | undefined} iso
 * @param {(iso: string) => string} format
 */
export function timeElement(iso, format) {
  if (!iso) return h("span", { class: "muted" }, "—");
  return h("time", { dateTime: iso, title: iso }, format(iso));
}
