import { SYNC_PHASES, type SyncEvent } from "../sync/sync-event.js";
import type { StderrDisplay } from "./create-stderr-display.js";

export type SyncProgress = {
  onEvent(event: SyncEvent): void;
  /** clears the bar; call when the sync ends, however it ends */
  finish(): void;
};

const BAR_WIDTH = 24;
// Fetch progress can arrive many times a second; a terminal needs far fewer redraws.
const REDRAW_MS = 80;

/**
 * Shows a running sync on stderr: a bar redrawn in place on a terminal (`bar: true`), otherwise one line per phase,
 * which reads well in CI logs.
 */
export function createSyncProgress(display: StderrDisplay, options: { bar: boolean }): SyncProgress {
  let lastPhase: string | null = null;
  let lastDraw = 0;
  return {
    onEvent(event) {
      if (event.type === "status") return;
      const phaseChanged = event.phase !== lastPhase;
      lastPhase = event.phase;
      if (!options.bar) {
        if (phaseChanged) display.line(describe(event));
        return;
      }
      const now = Date.now();
      if (!phaseChanged && now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      display.status(drawBar(event, display.columns));
    },
    finish() {
      if (options.bar) display.clearStatus();
    },
  };
}

function step(event: SyncEvent): string {
  const index = event.phase ? SYNC_PHASES.indexOf(event.phase) + 1 : 0;
  return `[${index}/${SYNC_PHASES.length}] ${event.phase ?? "queued"}`;
}

/** "[3/4] fetch: 12 files to fetch" */
function describe(event: SyncEvent): string {
  if (!event.progress) return step(event);
  return `${step(event)}: ${event.progress.total} ${event.progress.total === 1 ? "file" : "files"} to fetch`;
}

/** "[3/4] fetch     [██████░░░░░░░░░░░░░░░░░░]  120/400  30%" */
function drawBar(event: SyncEvent, columns: number): string {
  const label = step(event).padEnd(16);
  if (!event.progress) return `${label}…`;
  const { done, total } = event.progress;
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const counter = `${done}/${total}  ${Math.floor(ratio * 100)}%`;
  const width = Math.max(5, Math.min(BAR_WIDTH, columns - label.length - counter.length - 6));
  const filled = Math.round(ratio * width);
  return `${label}[${"█".repeat(filled)}${"░".repeat(width - filled)}]  ${counter}`;
}
