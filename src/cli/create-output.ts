import type { CliStream } from "./cli-io.js";

/** Thrown by write() once the reader of stdout went away (`project-sync memory x | head`). */
export class OutputClosedError extends Error {
  constructor() {
    super("stdout was closed by its reader");
    this.name = "OutputClosedError";
  }
}

export type Output = {
  /** writes and waits while the stream's buffer is full, so 100,000 lines never pile up in memory */
  write(text: string): Promise<void>;
};

/** stdout as the commands use it: backpressure-aware, and quiet when the reader closes the pipe. */
export function createOutput(stream: CliStream): Output {
  let closed = false;
  let waiting: (() => void)[] = [];
  stream.on?.("error", (error: NodeJS.ErrnoException) => {
    // Any other error would be a real fault; it is rethrown where Node would have thrown it.
    if (error.code !== "EPIPE") throw error;
    closed = true;
    for (const resume of waiting) resume();
    waiting = [];
  });
  return {
    async write(text) {
      if (closed) throw new OutputClosedError();
      if (stream.write(text) !== false || !stream.once) return;
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        stream.once?.("drain", () => {
          waiting = waiting.filter((resume) => resume !== resolve);
          resolve();
        });
      });
      if (closed) throw new OutputClosedError();
    },
  };
}
