import type { Logger } from "../logger.js";

/** Background work a webhook handler starts and does not wait for (reactions, replies, installation syncs). */
export type TaskTracker = {
  /** starts `task` now; a failure is logged with `name`, never thrown */
  run: (name: string, task: () => Promise<unknown>) => void;
  /** resolves once every task started so far (and any they start) has ended: shutdown, and tests */
  drain: () => Promise<void>;
};

/**
 * Fire-and-forget with bookkeeping: a webhook answers GitHub at once, and shutdown (or a test) can still wait for
 * what the handlers started.
 * @example tasks.run("eyes reaction", () => react(...)); await tasks.drain();
 */
export function createTaskTracker(log: Pick<Logger, "warn">): TaskTracker {
  const running = new Set<Promise<void>>();
  return {
    run(name, task) {
      const promise: Promise<void> = (async () => {
        try {
          await task();
        } catch (error) {
          log.warn(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      })().finally(() => running.delete(promise));
      running.add(promise);
    },
    async drain() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
