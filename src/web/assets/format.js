/** Small text formatters shared by the views. */

/** @typedef {{ added: number, modified: number, removed: number, renamed: number, unchanged: number }} Counts */

/**
 * The first 7 characters of a SHA, or a dash.
 * @param {string | null | undefined} sha
 */
export function shortSha(sha) {
  return sha ? sha.slice(0, 7) : "—";
}

/**
 * The first block of a UUID, enough to tell syncs apart on screen.
 * @param {string | null | undefined} id
 */
export function shortId(id) {
  return id ? id.slice(0, 8) : "—";
}

/**
 * "30 added · 150 modified · 2854 unchanged": the counts that are not zero, as words.
 * @param {Counts} counts
 */
export function formatCounts(counts) {
  const parts = /** @type {(keyof Counts)[]} */ (["added", "modified", "removed", "renamed", "unchanged"])
    .filter((key) => counts[key] > 0)
    .map((key) => `${counts[key]} ${key}`);
  return parts.length > 0 ? parts.join(" · ") : "no files";
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS = /** @type {const} */ ([
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
]);

/**
 * "3 minutes ago" for an ISO timestamp (the exact time goes in a title).
 * @param {string | null | undefined} iso
 * @param {number} [now]
 */
export function timeAgo(iso, now = Date.now()) {
  if (!iso) return "—";
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") {
      return Math.abs(seconds) < 5 ? "just now" : relative.format(Math.round(seconds / size), unit);
    }
  }
  return iso;
}

/**
 * "4.2 s" between two ISO timestamps.
 * @param {string | null | undefined} from
 * @param {string | null | undefined} to
 */
export function duration(from, to) {
  if (!from || !to) return "—";
  const ms = Date.parse(to) - Date.parse(from);
  return ms < 1000
    ? `${ms} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms / 60_000)} min`;
}

/**
 * "12.3 KB" for a byte count.
 * @param {number} bytes
 */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
