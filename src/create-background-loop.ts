import { toAppError } from "./errors.js";
import type { Logger } from "./logger.js";

/** Work a process does in the background, step after step, beside the same loop in other processes. */
export type BackgroundLoop = {
  start(): void;
  /** waits for the step in progress */
  stop(): Promise<void>;
  /** runs a step now (or right after the one in progress) instead of at the next look */
  wake(): void;
  /** runs steps until one finds nothing to do (tests, the CLI, the bench); returns what they did in total */
  drain(): Promise<number>;
};

export type CreateBackgroundLoopOptions = {
  /** one step: does what there is to do and says how much (0: nothing was waiting) */
  step: (isStopped: () => boolean) => Promise<number>;
  log: Logger;
  /** what a failed step's warning says is failing, e.g. "Sending webhooks" */
  what: string;
  /** how often an idle loop looks for work; a failing step is retried after this doubled per failure, up to 60 s */
  idleMs: number;
};

/**
 * The loop of the background workers (the search indexer, the webhook dispatcher): a step at start, then a step every
 * `idleMs` — at once again after a step that was woken meanwhile —, backing off while steps fail. Steps never overlap.
 * @example const loop = createBackgroundLoop({ step: async () => indexBatch(), log, what: "Indexing", idleMs: 2000 });
 */
export function createBackgroundLoop(options: CreateBackgroundLoopOptions): BackgroundLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let stopped = true;
  let again = false;
  let failures = 0;
  const isStopped = () => stopped;

  const tick = () => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    again = false;
    running = options
      .step(isStopped)
      .then((done) => {
        failures = 0;
        return done;
      })
      .catch((error: unknown) => {
        failures += 1;
        options.log.warn(`${options.what} failed (retrying): ${toAppError(error).message}`);
        return 0;
      })
      .finally(() => {
        running = null;
        if (stopped) return;
        const delay = again && failures === 0 ? 0 : Math.min(60_000, options.idleMs * 2 ** failures);
        timer = setTimeout(tick, delay).unref();
      });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0).unref();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
    wake() {
      if (stopped) return;
      if (running) again = true;
      else tick();
    },
    async drain() {
      await running;
      let total = 0;
      for (;;) {
        const done = await options.step(isStopped);
        total += done;
        if (done === 0) return total;
      }
    },
  };
}
