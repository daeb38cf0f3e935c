/**
 * A pause point for long synchronous loops (a config's globs over 100,000 paths): awaited in the loop, it lets the
 * event loop run — webhooks to answer, heartbeats, other syncs — once `sliceMs` of work has passed, and costs nothing
 * otherwise.
 * @example const pause = createYielder(); for (const path of paths) { await pause(); check(path); }
 */
export function createYielder(sliceMs = 20): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}
