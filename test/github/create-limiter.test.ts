import { describe, expect, it } from "@jest/globals";
import { createLimiter } from "../../src/github/create-limiter.js";

describe("createLimiter", () => {
  it("never runs more than `concurrency` tasks at once and runs them all", async () => {
    const limit = createLimiter(3);
    let running = 0;
    let peak = 0;
    const task = (value: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 1 + (value % 3)));
      running -= 1;
      return value;
    };

    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => limit(task(index))));

    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(peak).toBe(3);
  });

  it("frees the slot of a task that throws", async () => {
    const limit = createLimiter(1);

    await expect(limit(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit(async () => "next")).resolves.toBe("next");
  });
});
