import { randomInt } from "node:crypto";
import pg from "pg";
import { AppError, toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { UTC_SESSION } from "./create-prisma-client.js";

/** The first key of presence advisory locks (the second is a process's key). */
export const PRESENCE_LOCK_NAMESPACE = 0x5052_534e;

/**
 * A process's liveness as PostgreSQL sees it: a session advisory lock held on a connection of its own for as long as
 * the process lives. A killed process's connection closes and the lock goes with it, so a sweep in any process knows
 * at once that the syncs it ran are orphaned — instead of waiting for their heartbeats to go stale.
 */
export type ProcessPresence = {
  /** the key this process holds; recorded on the syncs it claims (`ProjectSync.workerKey`) */
  readonly key: number;
  start(): Promise<void>;
  stop(): Promise<void>;
};

export type CreateProcessPresenceOptions = {
  databaseUrl: string;
  log: Logger;
  /** reconnect delays after the connection drops: `minMs` doubling up to `maxMs` (defaults 250 ms, 10 s) */
  reconnect?: { minMs: number; maxMs: number };
};

/** @example const presence = createProcessPresence({ databaseUrl, log }); await presence.start(); presence.key */
export function createProcessPresence(options: CreateProcessPresenceOptions): ProcessPresence {
  const reconnect = options.reconnect ?? { minMs: 250, maxMs: 10_000 };
  let key = newKey();
  let client: pg.Client | null = null;
  let stopped = true;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: "project-sync-presence",
      options: UTC_SESSION,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    next.on("error", (error) => {
      options.log.warn(`The presence connection failed: ${error.message}`);
      lost(next);
    });
    next.on("end", () => lost(next));
    try {
      await next.connect();
      // another live process holding the same key (1 in 2^31) would make ours look alive when it died: pick anew
      for (let tries = 0; ; tries += 1) {
        const { rows } = await next.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock($1, $2) AS locked",
          [PRESENCE_LOCK_NAMESPACE, key],
        );
        if (rows[0]?.locked) break;
        if (tries >= 5) throw new AppError("INTERNAL", "No free presence key was found.");
        key = newKey();
      }
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
        failures = 0;
      } catch (error) {
        options.log.warn(
          `Reconnecting the presence connection failed (retrying): ${toAppError(error).message}`,
        );
        if (!stopped) scheduleReconnect();
      }
    }, delay);
    retryTimer.unref();
  };

  return {
    get key() {
      return key;
    },
    async start() {
      if (!stopped) return;
      stopped = false;
      failures = 0;
      try {
        await connect();
      } catch (error) {
        stopped = true;
        throw new AppError(
          "DATABASE_UNAVAILABLE",
          `Cannot hold the process's presence lock (${toAppError(error).message}).`,
          {
            cause: error,
            retryable: true,
          },
        );
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}

function newKey(): number {
  return randomInt(1, 2 ** 31 - 1);
}
