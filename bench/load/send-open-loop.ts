import { Agent, request } from "node:http";

/** What one delivery came to. Times are milliseconds from t0 (performance.now() based). */
export type DeliveryOutcome = {
  /** when it was due: i / rate */
  dueMs: number;
  /** when it was handed to the socket layer */
  sentMs: number;
  /** the HTTP status; 0 when no full answer came (connection error, or GitHub's 10 s timeout) */
  status: number;
  /** from sending to the end of the answer (or to the error / timeout) */
  latencyMs: number;
  /** the answer's `status` field ("accepted", "duplicate", ...) when it had one */
  answer: string | null;
  /** why no answer came, or the body of a non-2xx answer (cut short) */
  error: string | null;
};

export type OpenLoopOptions = {
  /** e.g. http://127.0.0.1:PORT/api/github/webhooks */
  url: string;
  rate: number;
  count: number;
  /** the body and headers of delivery i */
  delivery(index: number): { body: Buffer; headers: Record<string, string> };
  /** called right before delivery i is sent (moving the simulator's branch head, for instance) */
  beforeSend?(index: number): void;
  /** GitHub gives up on a delivery after 10 s */
  timeoutMs?: number;
  /** when the first delivery goes out, epoch ms (default: 200 ms after the call) */
  startAt?: number;
};

export type OpenLoopResult = {
  outcomes: DeliveryOutcome[];
  /** epoch ms of t0 */
  startedAt: number;
  /** from t0 to the last send */
  sendingMs: number;
  /** from t0 to the last answer */
  totalMs: number;
};

/**
 * Open loop: delivery i goes out at t0 + i / rate whatever happened to the earlier ones (a slow server cannot slow
 * the load down; a late timer sends every delivery that is due at once), over keep-alive connections. Resolves once
 * every delivery has an answer or has timed out.
 */
export async function sendOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, count } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const target = new URL(options.url);
  const agent = new Agent({
    keepAlive: true,
    // enough sockets that the client is rarely the queue (an overloaded server holds more open: they wait here)
    maxSockets: Math.ceil(Math.min(4096, rate * 2 + 256)),
    // Node's agent follows the server's `Keep-Alive: timeout=5` (dropping idle sockets 1 s before the server does)
    // only when it has a timeout of its own; without one it may reuse a socket the server is closing that very
    // moment, and the delivery fails with ECONNRESET — the client's fault, not the app's.
    timeout: 60_000,
  });
  const outcomes: DeliveryOutcome[] = new Array(count);
  const intervalMs = 1000 / rate;
  const startedAt = options.startAt ?? Date.now() + 200;
  const t0 = performance.now() + (startedAt - Date.now());
  let pending = count;
  let lastSent = 0;
  let resolveAll: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });

  const finish = (
    index: number,
    outcome: Omit<DeliveryOutcome, "dueMs" | "sentMs" | "latencyMs">,
    sentAt: number,
  ) => {
    if (outcomes[index]?.latencyMs !== -1) return;
    const now = performance.now();
    outcomes[index] = { ...outcomes[index], ...outcome, latencyMs: now - sentAt };
    pending -= 1;
    if (pending === 0) resolveAll();
  };

  const send = (index: number) => {
    const { body, headers } = options.delivery(index);
    options.beforeSend?.(index);
    const sentAt = performance.now();
    lastSent = sentAt;
    outcomes[index] = {
      dueMs: index * intervalMs,
      sentMs: sentAt - t0,
      status: 0,
      latencyMs: -1,
      answer: null,
      error: null,
    };
    const req = request({
      agent,
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      method: "POST",
      headers,
    });
    const timer = setTimeout(() => {
      finish(index, { status: 0, answer: null, error: "timed out" }, sentAt);
      req.destroy();
    }, timeoutMs);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        finish(
          index,
          {
            status,
            answer: /"status"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? null,
            error: ok ? null : text.slice(0, 300),
          },
          sentAt,
        );
      });
      res.on("error", (error) => {
        clearTimeout(timer);
        finish(index, { status: 0, answer: null, error: `response: ${error.message}` }, sentAt);
      });
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      finish(index, { status: 0, answer: null, error: error.message }, sentAt);
    });
    req.end(body);
  };

  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < count && t0 + next * intervalMs <= now) {
        send(next);
        next += 1;
      }
      if (next >= count) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now()));
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  const sendingMs = lastSent - t0;
  if (count > 0) await allDone;
  const totalMs = performance.now() - t0;
  agent.destroy();
  return { outcomes, startedAt, sendingMs, totalMs };
}
