import type { Db } from "../db/create-prisma-client.js";
import { toAppError } from "../errors.js";
import type { SyncEventHub } from "../events/sync-event-hub.js";
import type { Logger } from "../logger.js";

/** A sync that just succeeded: its branch's memory moved to it. */
export type MemoryChange = {
  syncId: string;
  /** the branch's sync before it (null for a first sync) */
  previousSyncId: string | null;
  /** lower-case "owner/name" */
  repositoryKey: string;
  branch: string;
};

/** Tells in-process listeners whenever a sync succeeds, in this process or in any other on the same database. */
export type MemoryChangeFeed = {
  subscribe: (listener: (change: MemoryChange) => void) => () => void;
  stop: () => void;
};

// notifications come for every progress event of every sync: read the syncs they name in batches
const BATCH_MS = 100;
// syncs already announced, remembered so that later notifications of the same sync stay quiet
const REMEMBERED = 10_000;

/**
 * The feed over the process's SyncEventHub (PostgreSQL LISTEN/NOTIFY): each notified sync id is read (batched) and
 * announced once, when it has succeeded. Notifications lost while the hub reconnects are not replayed.
 * @example const feed = createMemoryChangeFeed({ db, hub, log }); feed.subscribe((change) => ...);
 */
export function createMemoryChangeFeed(options: {
  db: Db;
  hub: SyncEventHub;
  log: Logger;
}): MemoryChangeFeed {
  const listeners = new Set<(change: MemoryChange) => void>();
  const announced = new Set<string>();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const flush = async () => {
    timer = undefined;
    const ids = [...pending];
    pending = new Set();
    const rows = await options.db.projectSync.findMany({
      where: { id: { in: ids }, status: "succeeded", generation: { not: null } },
      select: { id: true, previousSyncId: true, branch: true, repository: { select: { key: true } } },
    });
    for (const row of rows) {
      if (announced.has(row.id)) continue;
      announced.add(row.id);
      if (announced.size > REMEMBERED) announced.delete(announced.values().next().value as string);
      const change = {
        syncId: row.id,
        previousSyncId: row.previousSyncId,
        repositoryKey: row.repository.key,
        branch: row.branch,
      };
      for (const listener of [...listeners]) listener(change);
    }
  };
  const unsubscribe = options.hub.subscribeAll?.((syncId) => {
    if (listeners.size === 0 || announced.has(syncId)) return;
    pending.add(syncId);
    if (timer) return;
    timer = setTimeout(() => {
      flush().catch((error: unknown) =>
        options.log.warn(`Reading finished syncs for MCP subscriptions failed: ${toAppError(error).message}`),
      );
    }, BATCH_MS);
    timer.unref();
  });
  return {
    subscribe: (listener) => {
      const entry = (change: MemoryChange) => listener(change);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    stop: () => {
      clearTimeout(timer);
      unsubscribe?.();
      listeners.clear();
    },
  };
}
