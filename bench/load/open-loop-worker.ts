// The load generator's thread (see run-open-loop.ts): sends the deliveries open loop, at a raised priority when
// allowed, so its timing and its reading of answers do not wait behind the simulator or the app.
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { sendOpenLoop } from "./send-open-loop.js";

export type OpenLoopWorkerInput = {
  url: string;
  rate: number;
  startAt: number;
  timeoutMs: number;
  /** slot → index into `deliveries` */
  slots: Int32Array;
  deliveries: { body: Uint8Array; headers: Record<string, string> }[];
  /** niceness to give this thread (Linux: per thread); refused without the right, which is recorded */
  priority: number;
};

const input = workerData as OpenLoopWorkerInput;
let priority: string;
try {
  os.setPriority(0, input.priority);
  priority = String(os.getPriority(0));
} catch (error) {
  priority = `unchanged (${error instanceof Error ? error.message : String(error)})`;
}
const bodies = input.deliveries.map((delivery) =>
  Buffer.from(delivery.body.buffer, delivery.body.byteOffset, delivery.body.byteLength),
);
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const result = await sendOpenLoop({
  url: input.url,
  rate: input.rate,
  count: input.slots.length,
  startAt: input.startAt,
  timeoutMs: input.timeoutMs,
  delivery: (index) => {
    const unique = input.slots[index] as number;
    return {
      body: bodies[unique] as Buffer,
      headers: (input.deliveries[unique] as { headers: Record<string, string> }).headers,
    };
  },
});
loopDelay.disable();
parentPort?.postMessage({
  ...result,
  priority,
  eventLoopDelayMs: {
    p50: loopDelay.percentile(50) / 1e6,
    p99: loopDelay.percentile(99) / 1e6,
    max: loopDelay.max / 1e6,
  },
});
