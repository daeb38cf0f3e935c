import type { Db } from "../db/create-prisma-client.js";
import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import {
  indexSearchBacklog,
  readSearchBacklog,
  refreshSearchStatistics,
} from "../memory/index-search-backlog.js";
import { markSyncsSearchable } from "../sync-record/mark-syncs-searchable.js";

/** Puts stored blobs into the search index in the background, after their syncs committed. */
export type SearchIndexer = {
  start(): void;
  /** waits for the batch in progress */
  stop(): Promise<void>;
  /** runs until the backlog is empty (the CLI after its sync; tests) and returns how many blobs it indexed */
  drain(): Promise<number>;
};

export type CreateSearchIndexerOptions = {
  db: Db;
  log: Logger;
  /** blobs per transaction (default 500) */
  batchSize?: number;
  /** how often an idle indexer looks for new blobs (default 2 s) */
  idleMs?: number;
};

/**
 * The search indexer of one process: batch after batch while there is a backlog, then a look every `idleMs`. Several
 * processes share the work (each batch takes rows nobody else holds). When the backlog is empty, the syncs that finished
 * before record when they became searchable.
 * @example const indexer = createSearchIndexer({ db, log }); indexer.start(); … await indexer.stop();
 */
export function createSearchIndexer(options: CreateSearchIndexerOptions): SearchIndexer {
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let stopped = true;
  let failures = 0;

  const step = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const indexed = await indexSearchBacklog(options.db, { limit: batchSize });
      total += indexed;
      if (indexed < batchSize || stopped) break;
    }
    if (total > 0) await refreshSearchStatistics(options.db, total);
    await markSyncsSearchable(options.db, await readSearchBacklog(options.db));
    return total;
  };

  const tick = () => {
    timer = undefined;
    if (stopped) return;
    running = step()
      .then((total) => {
        failures = 0;
        if (total > 0) options.log.debug(`Indexed ${total} blobs for search`);
        return total;
      })
      .catch((error: unknown) => {
        failures += 1;
        options.log.warn(`Indexing memory for search failed (retrying): ${toAppError(error).message}`);
        return 0;
      })
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, Math.min(60_000, idleMs * 2 ** failures)).unref();
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
    async drain() {
      await running;
      let total = 0;
      for (;;) {
        const indexed = await step();
        total += indexed;
        if (indexed === 0) return total;
      }
    },
  };
}
