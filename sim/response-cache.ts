/** A least-recently-used map of serialized responses, bounded by their total size in bytes. */
export type ResponseCache = {
  get(key: string): Buffer | undefined;
  set(key: string, value: Buffer): void;
  clear(): void;
};

/**
 * A byte-bounded LRU cache: a 100,000-entry tree listing is ~20 MB of JSON that costs a `git ls-tree` and a
 * serialization to build, and a tree SHA's listing never changes.
 * @example const cache = createResponseCache(256 * 1024 * 1024); cache.set(key, body); cache.get(key)
 */
export function createResponseCache(maxBytes: number): ResponseCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Buffer>();
  let bytes = 0;
  return {
    get(key) {
      const value = entries.get(key);
      if (value) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      if (value.length > maxBytes) return;
      const previous = entries.get(key);
      if (previous) {
        bytes -= previous.length;
        entries.delete(key);
      }
      entries.set(key, value);
      bytes += value.length;
      for (const [oldest, old] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(oldest);
        bytes -= old.length;
      }
    },
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}
