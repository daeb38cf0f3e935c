import { toAppError } from "../errors.js";
import type { ClaimedSync } from "../sync-record/claim-sync.js";
import { type RunClaimedSyncOptions, runClaimedSync, SHUTDOWN_REASON } from "./run-claimed-sync.js";

export type RunningSyncs = {
  /** syncs running now */
  readonly size: number;
  /** runs a claimed sync; when `stopping`, it is cancelled at once (and re-queued for another process) */
  launch: (claimed: ClaimedSync, stopping: boolean) => void;
  /** resolves when any running sync ends */
  any: () => Promise<void>;
  /** cancels every running sync (re-queued for another process) and waits for them, at most `graceMs` */
  stop: (graceMs: number) => Promise<void>;
};

export type CreateRunningSyncsOptions = Pick<RunClaimedSyncOptions, "deps" | "runOptionsFor" | "onEvent"> & {
  /** the ids of syncs whose state changed (ended, failed unstarted, re-queued) */
  settle: (ids: readonly string[]) => void;
  /** a sync ended: room for another */
  ended: () => void;
};

/** The syncs a worker runs, each with the controller that cancels it. */
export function createRunningSyncs(options: CreateRunningSyncsOptions): RunningSyncs {
  const { deps, settle } = options;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  return {
    get size() {
      return running.size;
    },

    launch(claimed, stopping) {
      const controller = new AbortController();
      if (stopping) controller.abort(SHUTDOWN_REASON);
      const done = runClaimedSync({
        deps,
        claimed,
        signal: controller.signal,
        runOptionsFor: options.runOptionsFor,
        onEvent: options.onEvent,
      })
        .then(settle, (error: unknown) => {
          deps.log.error(`the worker lost sync ${claimed.id}: ${toAppError(error).message}`);
          settle([claimed.id]);
        })
        .finally(() => {
          running.delete(claimed.id);
          options.ended();
        });
      running.set(claimed.id, { controller, done });
    },

    any: () => Promise.race([...running.values()].map((sync) => sync.done)),

    async stop(graceMs) {
      for (const sync of running.values()) sync.controller.abort(SHUTDOWN_REASON);
      const all = Promise.allSettled([...running.values()].map((sync) => sync.done));
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        all,
        new Promise<void>((resolve) => {
          grace = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(grace);
    },
  };
}
