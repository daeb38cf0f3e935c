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
   * calls `listener` with the id of every sync that has news, whichever it is (MCP resource subscriptions watch for
   * finished syncs). Not called after a reconnect: what was missed meanwhile is not known.
   */
  subscribeAll?: (listener: (syncId: string) => void) => () => void;
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

/**
 * The channel the database's triggers notify (prisma/migrations/*_sync_notify), with the sync id as payload — or
 * `outbox` when a sync's end wrote outbound webhook events (*_outbound_webhooks), which wakes the dispatchers.
 */
export const SYNC_EVENT_CHANNEL = "project_sync";
/** How the LISTEN connection names itself in pg_stat_activity. */
export const SYNC_EVENT_HUB_APPLICATION_NAME = "project-sync-events";

/**
 * The process's one LISTEN connection on `project_sync`, shared by every SSE client of every sync.
 * @example const hub = createSyncEventHub({ databaseUrl: database.url, log }); await hub.start();
 *   const unsubscribe = hub.subscribe(syncId, () => readNewEvents());
 */
export function createSyncEventHub(options: CreateSyncEventHubOptions): SyncEventHub {
  const hub: Hub = {
    options,
    reconnect: options.reconnect ?? { minMs: 250, maxMs: 10_000 },
    listeners: new Map(),
    anyListeners: new Set(),
    stopListeners: new Set(),
    client: null,
    stopped: true,
    shutDown: false,
    failures: 0,
  };
  return {
    start: () => start(hub),
    stop: () => stop(hub),
    onStop: (listener) => onStop(hub, listener),
    subscribe: (syncId, listener) => subscribe(hub, syncId, listener),
    subscribeAll: (listener) => {
      const entry = (syncId: string) => listener(syncId);
      hub.anyListeners.add(entry);
      return () => {
        hub.anyListeners.delete(entry);
      };
    },
  };
}

/**
 * The hub's state. `stopped` before the first start and after stop (`shutDown`: stop was called and start not
 * since); while started, `client` is the live connection, or null while `retryTimer` waits to reconnect (the
 * `failures`-th time in a row).
 */
type Hub = {
  options: CreateSyncEventHubOptions;
  reconnect: { minMs: number; maxMs: number };
  listeners: Map<string, Set<() => void>>;
  anyListeners: Set<(syncId: string) => void>;
  stopListeners: Set<() => void>;
  client: pg.Client | null;
  stopped: boolean;
  shutDown: boolean;
  failures: number;
  retryTimer?: NodeJS.Timeout;
};

async function start(hub: Hub): Promise<void> {
  if (!hub.stopped) return;
  hub.stopped = false;
  hub.shutDown = false;
  hub.failures = 0;
  try {
    await connect(hub);
  } catch (error) {
    hub.stopped = true;
    throw new AppError(
      "DATABASE_UNAVAILABLE",
      `Cannot LISTEN for sync events (${toAppError(error).message}). Check that the database is reachable.`,
      { cause: error, retryable: true },
    );
  }
}

async function stop(hub: Hub): Promise<void> {
  hub.stopped = true;
  hub.shutDown = true;
  clearTimeout(hub.retryTimer);
  hub.retryTimer = undefined;
  const current = hub.client;
  hub.client = null;
  for (const listener of [...hub.stopListeners]) call(hub, listener);
  hub.stopListeners.clear();
  await current?.end().catch(() => undefined);
}

function onStop(hub: Hub, listener: () => void): () => void {
  if (hub.shutDown) {
    call(hub, listener);
    return () => {};
  }
  const entry = () => listener();
  hub.stopListeners.add(entry);
  return () => {
    hub.stopListeners.delete(entry);
  };
}

function subscribe(hub: Hub, syncId: string, listener: () => void): () => void {
  let set = hub.listeners.get(syncId);
  if (!set) {
    set = new Set();
    hub.listeners.set(syncId, set);
  }
  // a wrapper per call: the same function subscribed twice is two subscriptions, each removed once
  const entry = () => listener();
  set.add(entry);
  return () => {
    const current = hub.listeners.get(syncId);
    if (!current) return;
    current.delete(entry);
    if (current.size === 0) hub.listeners.delete(syncId);
  };
}

function call(hub: Hub, listener: () => void): void {
  try {
    listener();
  } catch (error) {
    hub.options.log.error(`A sync event listener failed: ${toAppError(error).message}`);
  }
}

function notify(hub: Hub, syncId: string): void {
  for (const listener of [...(hub.listeners.get(syncId) ?? [])]) call(hub, listener);
  for (const listener of [...hub.anyListeners]) call(hub, () => listener(syncId));
}

function pokeAll(hub: Hub): void {
  for (const set of [...hub.listeners.values()]) for (const listener of [...set]) call(hub, listener);
}

/** Opens a LISTEN connection; it becomes the hub's unless the hub stopped meanwhile. */
async function connect(hub: Hub): Promise<void> {
  const { options } = hub;
  const next = new pg.Client({
    connectionString: options.databaseUrl,
    application_name: SYNC_EVENT_HUB_APPLICATION_NAME,
    // a silently dropped connection (NAT, failover) would otherwise leave us deaf for hours
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  next.on("notification", (message) => {
    if (message.channel === SYNC_EVENT_CHANNEL && message.payload) notify(hub, message.payload);
  });
  next.on("error", (error) => {
    options.log.warn(`The sync event connection failed: ${error.message}`);
    lost(hub, next);
  });
  next.on("end", () => lost(hub, next));
  try {
    await next.connect();
    await next.query(`LISTEN ${SYNC_EVENT_CHANNEL}`);
  } catch (error) {
    await next.end().catch(() => undefined);
    throw error;
  }
  if (hub.stopped) {
    await next.end().catch(() => undefined);
    return;
  }
  hub.client = next;
}

/** The live connection failed or ended: reconnect unless stopped. */
function lost(hub: Hub, which: pg.Client): void {
  if (hub.client !== which) return;
  hub.client = null;
  which.end().catch(() => undefined);
  if (!hub.stopped) scheduleReconnect(hub);
}

function scheduleReconnect(hub: Hub): void {
  const delay = Math.min(hub.reconnect.maxMs, hub.reconnect.minMs * 2 ** hub.failures);
  hub.failures += 1;
  hub.retryTimer = setTimeout(() => {
    hub.retryTimer = undefined;
    void reconnect(hub);
  }, delay);
  hub.retryTimer.unref();
}

async function reconnect(hub: Hub): Promise<void> {
  if (hub.stopped) return;
  try {
    await connect(hub);
  } catch (error) {
    hub.options.log.warn(
      `Reconnecting the sync event connection failed (retrying): ${toAppError(error).message}`,
    );
    if (!hub.stopped) scheduleReconnect(hub);
    return;
  }
  if (hub.stopped) return;
  hub.failures = 0;
  hub.options.log.info("The sync event connection is back; every live stream re-reads its sync.");
  // notifications sent while nobody listened are gone: every subscriber reads what it may have missed
  pokeAll(hub);
}
