import { PassThrough } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { waitForDrain } from "../../src/events/wait-for-drain.js";

describe("waitForDrain", () => {
  it("resolves on drain or close and leaves no listener behind, however many writes were refused", async () => {
    const stream = new PassThrough({ highWaterMark: 4 });
    const before = { close: stream.listenerCount("close"), drain: stream.listenerCount("drain") };

    for (let refused = 0; refused < 20; refused += 1) {
      expect(stream.write("more than four bytes")).toBe(false);
      const waiting = waitForDrain(stream);
      stream.read(); // the client reads: the buffer drains
      await waiting;
    }

    expect({ close: stream.listenerCount("close"), drain: stream.listenerCount("drain") }).toEqual(before);
    expect(stream.listenerCount("error")).toBe(0);

    stream.write("more than four bytes");
    const closed = waitForDrain(stream);
    stream.destroy();
    await closed;
    expect(stream.listenerCount("drain")).toBe(before.drain);
  });
});
