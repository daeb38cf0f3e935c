import { describe, expect, it } from "@jest/globals";
import { createYielder } from "../../src/sync/create-yielder.js";

describe("createYielder", () => {
  it("gives the event loop a turn once a slice of work has passed, and nothing before", async () => {
    const pause = createYielder(5);
    let turns = 0;
    const other = setInterval(() => {
      turns += 1;
    }, 0);
    const immediate = pause();

    // 60 ms of synchronous work in 1 ms steps, pausing where the yielder says
    for (let step = 0; step < 60; step += 1) {
      const until = performance.now() + 1;
      while (performance.now() < until) {
        // busy, as a costly glob is
      }
      const turn = pause();
      if (turn) await turn;
    }
    clearInterval(other);

    expect(immediate).toBeUndefined();
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});
