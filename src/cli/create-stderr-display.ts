import type { Logger } from "../logger.js";
import type { CliStream } from "./cli-io.js";

/** stderr shared by log lines and, on a terminal, one status line redrawn in place (the progress bar). */
export type StderrDisplay = {
  isTTY: boolean;
  columns: number;
  /** a line that stays; the status line is cleared first and redrawn after it */
  line(text: string): void;
  /** replaces the status line (terminals only) */
  status(text: string): void;
  clearStatus(): void;
};

const CLEAR_LINE = "\r\x1b[2K";

export function createStderrDisplay(stream: CliStream): StderrDisplay {
  const isTTY = stream.isTTY === true;
  let current = "";
  const display: StderrDisplay = {
    isTTY,
    columns: stream.columns && stream.columns > 20 ? stream.columns : 80,
    line(text) {
      if (current) stream.write(CLEAR_LINE);
      stream.write(`${text}\n`);
      if (current) stream.write(current);
    },
    status(text) {
      if (!isTTY) return;
      // One column short of the width: a line that fills it would wrap, and \r would then clear only its tail.
      current = text.slice(0, display.columns - 1);
      stream.write(`${CLEAR_LINE}${current}`);
    },
    clearStatus() {
      if (!current) return;
      current = "";
      stream.write(CLEAR_LINE);
    },
  };
  return display;
}

const LEVELS = ["debug", "info", "warn", "error"] as const;

/** The service layer's Logger over the display, so a log line never tears the progress bar. */
export function createCliLogger(display: StderrDisplay, options: { level: string }): Logger {
  const threshold = Math.max(0, LEVELS.indexOf(toLevel(options.level)));
  const write = (level: (typeof LEVELS)[number]) =>
    LEVELS.indexOf(level) >= threshold ? (message: string) => display.line(`${level} ${message}`) : () => {};
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

function toLevel(level: string): (typeof LEVELS)[number] {
  if (level === "trace") return "debug";
  if (level === "fatal") return "error";
  return (LEVELS as readonly string[]).includes(level) ? (level as (typeof LEVELS)[number]) : "info";
}
