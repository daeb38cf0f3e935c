import { toAppError } from "../errors.js";
import { type ClaimedSync, claimSync } from "../sync-record/claim-sync.js";
import { runClaimedSync, SHUTDOWN_REASON } from "./run-claimed-sync.js";
import { sweepSyncs } from "./sweep-syncs.js";
import type { CreateSyncWorkerOptions, SyncWorker } from "./sync-worker.js";

const DEFAULT_POLL_MS = 1_000;
const DEFAULT_SWEEP_MS = 30_000;
const DEFAULT_GRACE_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

type Running = { controller: AbortController; done: Promise<void> };

/**
 * The queue's worker for one process: claims queued syncs (at most `concurrency` at once, one per branch across every
 * process), runs them, retries transient failures, re-queues its syncs when it stops, and sweeps what dead processes
 * left behind. A database outage is logged and waited out with backoff; it never throws out of the timers.
 * @example const worker = createSyncWorker({ deps, concurrency: 2, presence, hooks }); worker.start();
 */
export function createSyncWorker(options: CreateSyncWorkerOptions): SyncWorker {
  const { deps, hooks = {} } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const running = new Map<string, Running>();
  let stopping = false;
  let timers: NodeJS.Timeout[] = [];
  let inFlight: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let pausedUntil = 0;

  const settle = (ids: readonly string[]): void => {
    for (const id of ids) {
      try {
        hooks.onSettled?.(id);
      } catch (error) {
        deps.log.warn(`onSettled(${id}) failed: ${toAppError(error).message}`);
      }
    }
  };

  const launch = (claimed: ClaimedSync): void => {
    const controller = new AbortController();
    if (stopping) controller.abort(SHUTDOWN_REASON);
    const done = runClaimedSync({
      deps,
      claimed,
      signal: controller.signal,
      runOptionsFor: options.runOptionsFor,
      onEvent: hooks.onEvent,
    })
      .then(settle, (error: unknown) => {
        deps.log.error(`the worker lost sync ${claimed.id}: ${toAppError(error).message}`);
        settle([claimed.id]);
      })
      .finally(() => {
        running.delete(claimed.id);
        if (!stopping) void poll();
      });
    running.set(claimed.id, { controller, done });
  };

  const claimUpToLimit = async (): Promise<void> => {
    while (!stopping && running.size < concurrency) {
      const claimed = await claimSync(deps.db, { now: deps.now, workerKey: options.presence?.key ?? null });
      if (!claimed) return;
      launch(claimed);
    }
  };

  // One claim pass at a time; a call during a pass makes it run once more, so the returned promise settles after a
  // pass that started after the call.
  const poll = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        try {
          await claimUpToLimit();
          failures = 0;
        } catch (error) {
          failures += 1;
          const wait = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (failures - 1));
          pausedUntil = Date.now() + wait;
          deps.log.error(
            `the sync worker could not take work (${toAppError(error).message}); again in ${wait} ms`,
          );
          return;
        }
      } while (again && !stopping);
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const sweep = async (): Promise<void> => {
    const touched = await sweepSyncs(deps);
    settle(touched);
    if (touched.length > 0 && !stopping) void poll();
  };

  const sweepQuietly = (): void => {
    sweep().catch((error: unknown) => deps.log.error(`the queue sweep failed: ${toAppError(error).message}`));
  };

  return {
    start() {
      if (timers.length > 0) return;
      stopping = false;
      const tick = () => {
        if (Date.now() >= pausedUntil) void poll();
      };
      timers = [
        setInterval(tick, options.pollIntervalMs ?? DEFAULT_POLL_MS),
        setInterval(sweepQuietly, options.sweepIntervalMs ?? DEFAULT_SWEEP_MS),
      ];
      for (const timer of timers) timer.unref();
      sweepQuietly();
      void poll();
    },

    wake() {
      if (!stopping) void poll();
    },

    async stop(stopOptions = {}) {
      stopping = true;
      for (const timer of timers) clearInterval(timer);
      timers = [];
      await inFlight;
      for (const sync of running.values()) sync.controller.abort(SHUTDOWN_REASON);
      const all = Promise.allSettled([...running.values()].map((sync) => sync.done));
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        all,
        new Promise<void>((resolve) => {
          grace = setTimeout(resolve, stopOptions.graceMs ?? DEFAULT_GRACE_MS);
        }),
      ]);
      clearTimeout(grace);
    },

    sweep,

    isRunning: () => timers.length > 0 && !stopping,

    async runUntilIdle() {
      for (;;) {
        await poll();
        if (running.size === 0) return;
        await Promise.race([...running.values()].map((sync) => sync.done));
      }
    },
  };
}
