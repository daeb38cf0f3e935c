import { EventEmitter } from "node:events";
import { describe, expect, it } from "@jest/globals";
import { createOutput, OutputClosedError } from "../../src/cli/create-output.js";

/** A stream whose buffer is full after every write, like a pipe the reader drains slowly. */
class SlowStream extends EventEmitter {
  chunks: string[] = [];
  write(chunk: string) {
    this.chunks.push(chunk);
    return false;
  }
}

describe("createOutput", () => {
  it("waits for drain when the stream's buffer is full", async () => {
    const stream = new SlowStream();
    const out = createOutput(stream);
    let done = false;

    const written = out.write("a").then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    stream.emit("drain");
    await written;

    expect(done).toBe(true);
    expect(stream.chunks).toEqual(["a"]);
  });

  it("stops with OutputClosedError once the reader closed the pipe (EPIPE)", async () => {
    const stream = new SlowStream();
    const out = createOutput(stream);

    const waiting = out.write("a");
    stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));

    await expect(waiting).rejects.toBeInstanceOf(OutputClosedError);
    await expect(out.write("b")).rejects.toBeInstanceOf(OutputClosedError);
    expect(stream.chunks).toEqual(["a"]);
  });
});
