import { Worker } from "node:worker_threads";
import type { OpenLoopWorkerInput } from "./open-loop-worker.js";
import type { OpenLoopResult } from "./send-open-loop.js";

export type OpenLoopRun = OpenLoopResult & {
  /** the sender thread's niceness, or why it could not be raised */
  priority: string;
  /** how late the sender thread's event loop ran */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** branch-head moves that happened after their push was due (the simulator's thread was late); should be 0 */
  lateHeadMoves: number;
};

// A push's branch head moves this long before its webhook is due (GitHub moves a branch, then delivers).
const HEAD_LEAD_MS = 200;
// Niceness of the sender thread: it needs little CPU, but must send and read answers on time.
const SENDER_PRIORITY = -10;

/**
 * Runs the open loop in a worker thread: this thread keeps serving the simulator (and moves each push's branch head
 * up to HEAD_LEAD_MS before the push is due, never after it if this thread keeps up), the worker only sends and
 * times. Resolves with every delivery's outcome.
 */
export async function runOpenLoop(options: {
  url: string;
  rate: number;
  /** slot → index into `deliveries` */
  slots: readonly number[];
  deliveries: readonly { body: Buffer; headers: Record<string, string> }[];
  /** slot → the push to show before it is due (null for a redelivery) */
  moveHead: (slot: number) => (() => void) | null;
  timeoutMs?: number;
}): Promise<OpenLoopRun> {
  const { rate, slots } = options;
  const startAt = Date.now() + 500;
  const input: OpenLoopWorkerInput = {
    url: options.url,
    rate,
    startAt,
    timeoutMs: options.timeoutMs ?? 10_000,
    slots: Int32Array.from(slots),
    deliveries: options.deliveries.map((delivery) => ({ body: delivery.body, headers: delivery.headers })),
    priority: SENDER_PRIORITY,
  };
  // tsx's loader is not inherited by worker threads: register it in the worker before importing the entry.
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./open-loop-worker.ts", import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true, workerData: input },
  );

  let lateHeadMoves = 0;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const moveHeads = () => {
    const now = Date.now();
    while (next < slots.length && startAt + (next * 1000) / rate - HEAD_LEAD_MS <= now) {
      const move = options.moveHead(next);
      if (move) {
        move();
        if (now > startAt + (next * 1000) / rate) lateHeadMoves += 1;
      }
      next += 1;
    }
    if (next < slots.length) timer = setTimeout(moveHeads, 10);
  };
  timer = setTimeout(moveHeads, Math.max(0, startAt - HEAD_LEAD_MS - Date.now()));
  try {
    const result = await new Promise<Omit<OpenLoopRun, "lateHeadMoves">>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the load generator's thread exited with ${code}`)));
    });
    return { ...result, lateHeadMoves };
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
