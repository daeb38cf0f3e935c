import { h } from "./dom.js";

const LABELS = /** @type {Record<string, string>} */ ({
  queued: "queued",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
});

/** Statuses after which a sync never changes again. */
export const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

/**
 * A sync's status as a coloured label (the colour is a class; the word is always there for screen readers and print).
 * @param {string} status
 */
export function statusBadge(status) {
  return h(
    "span",
    { class: `badge status-${LABELS[status] ? status : "unknown"}` },
    LABELS[status] ?? status,
  );
}
