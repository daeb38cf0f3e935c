/** Runs a task now or once fewer than `concurrency` tasks are running. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A concurrency gate for GitHub requests, so a wide tree walk cannot fire hundreds of requests at once (GitHub's
 * secondary rate limit punishes bursts). Wrap single requests, not tasks that wait on other wrapped tasks.
 * @example const limit = createLimiter(8); await Promise.all(shas.map((sha) => limit(() => fetchTree(sha))));
 */
export function createLimiter(concurrency: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so a newcomer cannot slip in between.
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
