import { h, replace } from "./dom.js";
import { formatCounts } from "./format.js";
import { statusBadge, TERMINAL } from "./status-badge.js";

const PHASES = ["resolve", "diff", "fetch", "finalize"];

/**
 * Live progress of one sync: status, the four phases with the current one marked, a progress bar and the counts.
 * `update` takes each LiveState as it arrives.
 * @param {import("./follow-sync.js").LiveState} initial
 */
export function createSyncProgress(initial) {
  const status = h("span", { class: "live-status" });
  const phases = h("ol", { class: "phases", "aria-label": "Phases" });
  const bar = h("progress", { max: 100, value: 0, "aria-label": "Progress" });
  const detail = h("span", { class: "progress-detail" });
  const counts = h("p", { class: "counts" });
  const error = h("p", { class: "error" });
  const element = h(
    "div",
    { class: "sync-progress", "aria-live": "polite" },
    h("div", { class: "row" }, status, detail),
    phases,
    bar,
    counts,
    error,
  );

  /** @param {import("./follow-sync.js").LiveState} state */
  function update(state) {
    element.dataset.status = state.status;
    element.dataset.phase = state.phase ?? "";
    replace(status, statusBadge(state.status), state.phase ? ` ${state.phase}` : "");
    const current = PHASES.indexOf(state.phase ?? "");
    const done = state.status === "succeeded";
    replace(
      phases,
      PHASES.map((phase, index) =>
        h(
          "li",
          {
            class: done || index < current ? "done" : index === current ? "current" : "",
            "aria-current": index === current && !done ? "step" : undefined,
          },
          phase,
        ),
      ),
    );
    const fraction = progressFraction(state, current);
    bar.value = Math.round(fraction * 100);
    replace(
      detail,
      state.progress && !TERMINAL.has(state.status)
        ? `${state.progress.done} / ${state.progress.total}`
        : state.status === "queued"
          ? "waiting for a worker"
          : "",
    );
    bar.hidden = TERMINAL.has(state.status);
    phases.hidden = state.status === "queued" || (TERMINAL.has(state.status) && !done);
    replace(counts, formatCounts(state.counts));
    replace(error, state.error ? `${state.error.code}: ${state.error.message}` : "");
    error.hidden = !state.error;
  }

  update(initial);
  return { element, update };
}

/**
 * How far along the whole sync is: finished phases, plus the current phase's own progress.
 * @param {import("./follow-sync.js").LiveState} state
 * @param {number} current index of the current phase
 */
function progressFraction(state, current) {
  if (state.status === "succeeded") return 1;
  if (state.status === "queued" || current < 0) return 0;
  const within = state.progress && state.progress.total > 0 ? state.progress.done / state.progress.total : 0;
  return (current + Math.min(within, 1)) / PHASES.length;
}
