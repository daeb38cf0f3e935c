/** Tasks run one after another per key (a sync id), concurrently across keys. */
export type KeyedChain = {
  /** queues `task` after the key's earlier tasks; the promise settles when it has run (it never rejects) */
  run: (key: string, task: () => Promise<void>) => Promise<void>;
  /** resolves when no task of any key is queued or running */
  idle: () => Promise<void>;
};

/**
 * A chain of promises per key, so that reports of one sync never overtake each other. A failing task is handed to
 * `onError` and does not stop the tasks after it.
 */
export function createKeyedChain(onError: (error: unknown, key: string) => void): KeyedChain {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, task) {
      const next = (tails.get(key) ?? Promise.resolve())
        .then(task)
        .catch((error: unknown) => onError(error, key));
      tails.set(key, next);
      void next.then(() => {
        if (tails.get(key) === next) tails.delete(key);
      });
      return next;
    },
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
