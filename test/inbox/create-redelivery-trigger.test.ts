import { afterEach, describe, expect, it } from "@jest/globals";
import {
  createRedeliveryTrigger,
  type RedeliveryTrigger,
} from "../../src/inbox/create-redelivery-trigger.js";
import type { RedeliverResult } from "../../src/inbox/redeliver-failed-deliveries.js";
import { silentLogger } from "../../src/logger.js";

const SCANNED: RedeliverResult = { scanned: true, read: 0, redelivered: 0, truncated: false };
const HELD: RedeliverResult = { scanned: false, skipped: "held", read: 0, redelivered: 0, truncated: false };

type Call = { notBefore?: Date };

/** A trigger whose scans answer from `answers` in turn (an Error is thrown), recording what each was asked. */
function harness(answers: Array<RedeliverResult | Error>) {
  const calls: Call[] = [];
  const trigger = createRedeliveryTrigger({
    log: silentLogger,
    debounceMs: 5,
    retryMs: 20,
    maxRetryMs: 40,
    intervalMs: 60_000,
    scan: async (options) => {
      calls.push(options);
      const answer = answers.shift() ?? SCANNED;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  return { trigger, calls };
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createRedeliveryTrigger", () => {
  let trigger: RedeliveryTrigger | undefined;
  afterEach(async () => {
    await trigger?.stop();
  });

  it("scans at start-up, and after the database came back with the time it went away", async () => {
    const test = harness([]);
    trigger = test.trigger;
    trigger.start();
    await until(() => test.calls.length === 1);
    const before = new Date();
    trigger.onDatabase(false);
    trigger.onDatabase(false);
    trigger.onDatabase(true);
    await until(() => test.calls.length === 2);

    expect(test.calls[0]?.notBefore).toBeUndefined();
    expect(test.calls[1]?.notBefore?.getTime()).toBeGreaterThanOrEqual(before.getTime());
    trigger.onDatabase(true); // already back: nothing to ask
    await pause(60);
    expect(test.calls).toHaveLength(2);
  });

  it("tries a failed scan again, later and with the same wish, until one completes", async () => {
    const test = harness([SCANNED, new Error("database went away"), new Error("still away"), SCANNED]);
    trigger = test.trigger;
    trigger.start();
    await until(() => test.calls.length === 1);
    trigger.onDatabase(false);
    trigger.onDatabase(true);
    await until(() => test.calls.length === 4);
    await pause(100);

    const wish = test.calls[1]?.notBefore;
    expect(wish).toBeInstanceOf(Date);
    expect(test.calls.slice(1).map((call) => call.notBefore)).toEqual([wish, wish, wish]);
    expect(test.calls).toHaveLength(4);
  });

  it("asks again when another process's scan held the lease during an outage's scan, not for a periodic one", async () => {
    const test = harness([HELD, HELD, SCANNED]);
    trigger = test.trigger;
    trigger.start(); // no wish: another process scanning is as good
    await until(() => test.calls.length === 1);
    await pause(80);
    expect(test.calls).toHaveLength(1);

    trigger.onDatabase(false);
    trigger.onDatabase(true);
    await until(() => test.calls.length === 3);
    expect(test.calls[2]?.notBefore).toEqual(test.calls[1]?.notBefore);
  });

  it("asks the database until it answers once it was seen unreachable, then scans with the outage's time", async () => {
    const calls: Call[] = [];
    let probes = 0;
    trigger = createRedeliveryTrigger({
      log: silentLogger,
      debounceMs: 5,
      probeMs: 10,
      intervalMs: 60_000,
      probe: async () => {
        probes += 1;
        if (probes < 3) throw new Error("connection refused");
      },
      scan: async (options) => {
        calls.push(options);
        return SCANNED;
      },
    });
    trigger.start();
    await until(() => calls.length === 1);
    const before = new Date();
    trigger.onDatabase(false); // nothing else ever says it is back

    await until(() => calls.length === 2);
    expect(probes).toBe(3);
    expect(calls[1]?.notBefore?.getTime()).toBeGreaterThanOrEqual(before.getTime());
    await pause(60);
    expect(probes).toBe(3);
  });

  it("stops retrying once stopped", async () => {
    const test = harness([new Error("down"), new Error("down")]);
    trigger = test.trigger;
    trigger.start();
    await until(() => test.calls.length === 1);
    await trigger.stop();
    await pause(80);
    expect(test.calls).toHaveLength(1);
  });
});
