import { type BackgroundLoop, createBackgroundLoop } from "../create-background-loop.js";
import type { Db } from "../db/create-prisma-client.js";
import type { Logger } from "../logger.js";
import {
  indexSearchBacklog,
  readSearchBacklog,
  refreshSearchStatistics,
} from "../memory/index-search-backlog.js";
import { markSyncsSearchable } from "../sync-record/mark-syncs-searchable.js";

/** Puts stored blobs into the search index in the background, after their syncs committed. */
/** drain(): runs until the backlog is empty (the CLI after its sync; tests) and returns how many blobs it indexed */
export type SearchIndexer = BackgroundLoop;

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

  const step = async (isStopped: () => boolean): Promise<number> => {
    let total = 0;
    for (;;) {
      const indexed = await indexSearchBacklog(options.db, { limit: batchSize });
      total += indexed;
      if (indexed < batchSize || isStopped()) break;
    }
    if (total > 0) await refreshSearchStatistics(options.db, total);
    await markSyncsSearchable(options.db, await readSearchBacklog(options.db));
    if (total > 0) options.log.debug(`Indexed ${total} blobs for search`);
    return total;
  };

  return createBackgroundLoop({ step, log: options.log, what: "Indexing memory for search", idleMs });
}
