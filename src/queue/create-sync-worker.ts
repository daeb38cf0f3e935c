import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { claimSync } from "../sync-record/claim-sync.js";
import { createClaimLoop } from "./create-claim-loop.js";
import { createRunningSyncs } from "./create-running-syncs.js";
import { sweepSyncs } from "./sweep-syncs.js";
import type { CreateSyncWorkerOptions, SyncWorker } from "./sync-worker.js";

const DEFAULT_POLL_MS = 1_000;
const DEFAULT_SWEEP_MS = 30_000;
const DEFAULT_GRACE_MS = 10_000;

/**
 * The queue's worker for one process: claims queued syncs (at most `concurrency` at once, one per branch across every
 * process), runs them, retries transient failures, re-queues its syncs when it stops, and sweeps what dead processes
 * left behind. A database outage is logged and waited out with backoff; it never throws out of the timers.
 * @example const worker = createSyncWorker({ deps, concurrency: 2, presence, hooks }); worker.start();
 */
export function createSyncWorker(options: CreateSyncWorkerOptions): SyncWorker {
  const { deps, hooks = {} } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const settle = settleEach(hooks.onSettled, deps.log);
  let stopping = false;
  let timers: NodeJS.Timeout[] = [];

  const running = createRunningSyncs({
    deps,
    runOptionsFor: options.runOptionsFor,
    onEvent: hooks.onEvent,
    settle,
    ended: () => {
      if (!stopping) void loop.poll();
    },
  });
  const loop = createClaimLoop({
    log: deps.log,
    stopping: () => stopping,
    pass: async () => {
      while (!stopping && running.size < concurrency) {
        const claimed = await claimSync(deps.db, { now: deps.now, workerKey: options.presence?.key ?? null });
        if (!claimed) return;
        running.launch(claimed, stopping);
      }
    },
  });

  const sweep = async (): Promise<void> => {
    const touched = await sweepSyncs(deps);
    settle(touched);
    if (touched.length > 0 && !stopping) void loop.poll();
  };
  const sweepQuietly = (): void => {
    sweep().catch((error: unknown) => deps.log.error(`the queue sweep failed: ${toAppError(error).message}`));
  };

  return {
    start() {
      if (timers.length > 0) return;
      stopping = false;
      const tick = () => {
        if (!loop.paused()) void loop.poll();
      };
      timers = [
        setInterval(tick, options.pollIntervalMs ?? DEFAULT_POLL_MS),
        setInterval(sweepQuietly, options.sweepIntervalMs ?? DEFAULT_SWEEP_MS),
      ];
      for (const timer of timers) timer.unref();
      sweepQuietly();
      void loop.poll();
    },
    wake() {
      if (!stopping) void loop.poll();
    },
    async stop(stopOptions = {}) {
      stopping = true;
      for (const timer of timers) clearInterval(timer);
      timers = [];
      await loop.idle();
      await running.stop(stopOptions.graceMs ?? DEFAULT_GRACE_MS);
    },
    sweep,
    isRunning: () => timers.length > 0 && !stopping,
    async runUntilIdle() {
      for (;;) {
        await loop.poll();
        if (running.size === 0) return;
        await running.any();
      }
    },
  };
}

/** Calls the settled hook for each id; a throwing hook is logged and never stops the worker. */
function settleEach(onSettled: ((syncId: string) => void) | undefined, log: Logger) {
  return (ids: readonly string[]): void => {
    for (const id of ids) {
      try {
        onSettled?.(id);
      } catch (error) {
        log.warn(`onSettled(${id}) failed: ${toAppError(error).message}`);
      }
    }
  };
}
