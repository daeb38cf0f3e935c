import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";

const MAX_BACKOFF_MS = 30_000;

export type ClaimLoop = {
  /** runs a claim pass; during a pass, makes it run once more, and settles after a pass that started after the call */
  poll: () => Promise<void>;
  /** resolves when the pass under way (if any) is over, without asking for another */
  idle: () => Promise<void>;
  /** a pass failed lately (the database is away): timers wait until the backoff is over */
  paused: () => boolean;
};

export type CreateClaimLoopOptions = {
  /** one pass: claim and launch syncs until none is eligible or the worker is full */
  pass: () => Promise<void>;
  stopping: () => boolean;
  log: Logger;
};

/**
 * One claim pass at a time for a worker, however many timers, wake-ups and finished syncs ask for one. A failed pass
 * (the database is away) is logged and the next one waits 1 s, doubling up to 30 s; it never throws to its callers.
 */
export function createClaimLoop(options: CreateClaimLoopOptions): ClaimLoop {
  let inFlight: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let pausedUntil = 0;

  const poll = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        try {
          await options.pass();
          failures = 0;
        } catch (error) {
          failures += 1;
          const wait = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (failures - 1));
          pausedUntil = Date.now() + wait;
          options.log.error(
            `the sync worker could not take work (${toAppError(error).message}); again in ${wait} ms`,
          );
          return;
        }
      } while (again && !options.stopping());
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    poll,
    idle: async () => {
      await inFlight;
    },
    paused: () => Date.now() < pausedUntil,
  };
}
