import { describe, expect, it } from "@jest/globals";
import { isRetryableFailure, retryRunAfter } from "../../src/queue/retry-policy.js";

describe("retry policy", () => {
  const now = new Date("2026-11-25T12:00:00.000Z");
  const delay = (attempt: number, random: number) =>
    retryRunAfter({ attempt, now, retryAt: null, random: () => random }).getTime() - now.getTime();

  it("waits 30 s · 2^(attempt−1) with ±20 % jitter, never more than 10 minutes", () => {
    expect([1, 2, 3, 4].map((attempt) => delay(attempt, 0.5))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect([delay(1, 0), delay(1, 1)]).toEqual([24_000, 36_000]);
    expect(delay(6, 1)).toBe(600_000);
  });

  it("waits for a rate limit's reset instead, when it is ahead", () => {
    const reset = new Date(now.getTime() + 45 * 60_000);

    expect(retryRunAfter({ attempt: 1, now, retryAt: reset })).toEqual(reset);
    expect(
      retryRunAfter({ attempt: 1, now, retryAt: new Date(now.getTime() - 1), random: () => 0.5 }).getTime(),
    ).toBe(now.getTime() + 30_000);
  });

  it("retries what the final event calls retryable, or else the transient error codes", () => {
    const failed = (errorCode: string, error = "") => ({ status: "failed" as const, errorCode, error });

    expect(isRetryableFailure(failed("GITHUB_UNAVAILABLE"))).toBe(true);
    expect(isRetryableFailure(failed("GITHUB_RATE_LIMITED"))).toBe(true);
    expect(isRetryableFailure(failed("DATABASE_UNAVAILABLE"))).toBe(true);
    expect(
      isRetryableFailure(
        failed("CONFLICT", "The memory of main changed while this sync ran (another sync …)"),
      ),
    ).toBe(true);
    expect(isRetryableFailure(failed("CONFLICT", "Cancelled: superseded"))).toBe(false);
    expect(isRetryableFailure(failed("NOT_FOUND"))).toBe(false);
    expect(isRetryableFailure({ ...failed("GITHUB_UNAVAILABLE"), status: "cancelled" })).toBe(false);
    const event = {
      type: "status" as const,
      syncId: "s",
      status: "failed" as const,
      phase: null,
      counts: { added: 0, modified: 0, removed: 0, renamed: 0, unchanged: 0 },
      progress: null,
      error: { code: "INTERNAL", message: "x", retryable: true },
      at: now.toISOString(),
    };
    expect(isRetryableFailure(failed("INTERNAL"), event)).toBe(true);
  });
});
