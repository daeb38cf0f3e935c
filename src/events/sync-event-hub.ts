import pg from "pg";
import { AppError, toAppError } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * Cross-process notifications that a sync has news (a new ProjectSyncEvent row, or a status change), through
 * PostgreSQL LISTEN/NOTIFY: one dedicated connection per process, fanned out to in-process subscribers. The
 * notification carries only the sync id; subscribers read what is new from the database.
 */
export type SyncEventHub = {
  /** connects and LISTENs (reconnecting with backoff when the connection drops) */
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** calls `listener` whenever `syncId` has news (also after a reconnect, since notifications may have been lost) */
  subscribe: (syncId: string, listener: () => void) => () => void;
  /**
   * calls `listener` once when the hub stops (the process shuts down), so live streams end and the HTTP server can
   * close; their clients reconnect (to another process) and resume after the last event they got. Once stopped, a
   * listener is called at once: a stream opened during shutdown ends as soon as it opens.
   */
  onStop?: (listener: () => void) => () => void;
};

export type CreateSyncEventHubOptions = {
  databaseUrl: string;
  log: Logger;
  /** reconnect delays: `minMs` doubling up to `maxMs` (defaults 250 ms and 10 s) */
  reconnect?: { minMs: number; maxMs: number };
};

/** The channel the database's triggers notify (prisma/migrations/*_sync_notify), with the sync id as payload. */
export const SYNC_EVENT_CHANNEL = "project_sync";
/** How the LISTEN connection names itself in pg_stat_activity. */
export const SYNC_EVENT_HUB_APPLICATION_NAME = "project-sync-events";

/**
 * The process's one LISTEN connection on `project_sync`, shared by every SSE client of every sync.
 * @example const hub = createSyncEventHub({ databaseUrl: database.url, log }); await hub.start();
 *   const unsubscribe = hub.subscribe(syncId, () => readNewEvents());
 */
export function createSyncEventHub(options: CreateSyncEventHubOptions): SyncEventHub {
  const { log } = options;
  const reconnect = options.reconnect ?? { minMs: 250, maxMs: 10_000 };
  const listeners = new Map<string, Set<() => void>>();
  const stopListeners = new Set<() => void>();
  let client: pg.Client | null = null;
  let stopped = true;
  // stop() was called and start() not since (`stopped` is also true before the first start)
  let shutDown = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const call = (listener: () => void) => {
    try {
      listener();
    } catch (error) {
      log.error(`A sync event listener failed: ${toAppError(error).message}`);
    }
  };
  const notify = (syncId: string) => {
    for (const listener of [...(listeners.get(syncId) ?? [])]) call(listener);
  };
  const pokeAll = () => {
    for (const set of [...listeners.values()]) for (const listener of [...set]) call(listener);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: SYNC_EVENT_HUB_APPLICATION_NAME,
      // a silently dropped connection (NAT, failover) would otherwise leave us deaf for hours
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    next.on("notification", (message) => {
      if (message.channel === SYNC_EVENT_CHANNEL && message.payload) notify(message.payload);
    });
    next.on("error", (error) => {
      log.warn(`The sync event connection failed: ${error.message}`);
      lost(next);
    });
    next.on("end", () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${SYNC_EVENT_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
  };

  const lost = (which: pg.Client) => {
    if (client !== which) return;
    client = null;
    which.end().catch(() => undefined);
    if (!stopped) scheduleReconnect();
  };

  const scheduleReconnect = () => {
    const delay = Math.min(reconnect.maxMs, reconnect.minMs * 2 ** failures);
    failures += 1;
    retryTimer = setTimeout(async () => {
      retryTimer = undefined;
      if (stopped) return;
      try {
        await connect();
      } catch (error) {
        log.warn(`Reconnecting the sync event connection failed (retrying): ${toAppError(error).message}`);
        if (!stopped) scheduleReconnect();
        return;
      }
      if (stopped) return;
      failures = 0;
      log.info("The sync event connection is back; every live stream re-reads its sync.");
      // notifications sent while nobody listened are gone: every subscriber reads what it may have missed
      pokeAll();
    }, delay);
    retryTimer.unref();
  };

  return {
    start: async () => {
      if (!stopped) return;
      stopped = false;
      shutDown = false;
      failures = 0;
      try {
        await connect();
      } catch (error) {
        stopped = true;
        throw new AppError(
          "DATABASE_UNAVAILABLE",
          `Cannot LISTEN for sync events (${toAppError(error).message}). Check that the database is reachable.`,
          { cause: error, retryable: true },
        );
      }
    },
    stop: async () => {
      stopped = true;
      shutDown = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = client;
      client = null;
      for (const listener of [...stopListeners]) call(listener);
      stopListeners.clear();
      await current?.end().catch(() => undefined);
    },
    onStop: (listener) => {
      if (shutDown) {
        call(listener);
        return () => {};
      }
      const entry = () => listener();
      stopListeners.add(entry);
      return () => {
        stopListeners.delete(entry);
      };
    },
    subscribe: (syncId, listener) => {
      let set = listeners.get(syncId);
      if (!set) {
        set = new Set();
        listeners.set(syncId, set);
      }
      // a wrapper per call: the same function subscribed twice is two subscriptions, each removed once
      const entry = () => listener();
      set.add(entry);
      return () => {
        const current = listeners.get(syncId);
        if (!current) return;
        current.delete(entry);
        if (current.size === 0) listeners.delete(syncId);
      };
    },
  };
}
