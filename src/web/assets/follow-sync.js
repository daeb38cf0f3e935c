import { apiPath } from "./api.js";
import { followEventStream } from "./event-stream.js";
import { TERMINAL } from "./status-badge.js";

/**
 * What the live views show of a sync; every SSE event is a full snapshot of these fields.
 * @typedef {object} LiveState
 * @property {string} status
 * @property {string | null} phase
 * @property {import("./format.js").Counts} counts
 * @property {{ done: number, total: number } | null} progress
 * @property {{ code: string, message: string } | null} error
 */

/**
 * @typedef {object} FollowSyncOptions
 * @property {string} apiBase
 * @property {string} syncId
 * @property {AbortSignal} signal
 * @property {(state: LiveState) => void} onUpdate every event, as the sync's state after it
 * @property {(state: LiveState) => void} [onEnd] once, after the terminal status
 * @property {(error: import("./api.js").ApiError) => void} [onError]
 */

/**
 * Follows one sync over `GET /events/project-sync/:syncId` (the snapshot first, then each progress step) until its
 * terminal status.
 * @param {FollowSyncOptions} options
 */
export function followSync({ apiBase, syncId, signal, onUpdate, onEnd, onError }) {
  return followEventStream({
    url: `${apiBase}${apiPath(["events", "project-sync", syncId])}`,
    signal,
    onError,
    onEvent(event) {
      const state = toLiveState(event.data);
      if (!state) return false;
      onUpdate(state);
      if (!TERMINAL.has(state.status)) return false;
      onEnd?.(state);
      return true;
    },
  });
}

/**
 * A SyncEvent or a sync (the snapshot) as a LiveState; null for data that is neither (heartbeats carry none).
 * @param {string} data
 * @returns {LiveState | null}
 */
export function toLiveState(data) {
  /** @type {any} */
  let value;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  // the snapshot may wrap the sync: { sync: {...} }
  const source =
    value && typeof value === "object" && value.sync && typeof value.sync === "object" ? value.sync : value;
  if (!source || typeof source.status !== "string") return null;
  return {
    status: source.status,
    phase: typeof source.phase === "string" ? source.phase : null,
    counts: { added: 0, modified: 0, removed: 0, renamed: 0, unchanged: 0, ...source.counts },
    progress:
      source.progress && typeof source.progress.done === "number" && typeof source.progress.total === "number"
        ? { done: source.progress.done, total: source.progress.total }
        : null,
    error: source.error ?? null,
  };
}
