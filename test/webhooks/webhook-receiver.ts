import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** One request the receiver got, verified with the `standardwebhooks` library against the endpoint's secret. */
export type ReceivedWebhook = {
  id: string;
  timestamp: string;
  body: string;
  /** Webhook.verify accepted the signature (and the timestamp) */
  verified: boolean;
  payload: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  /** the status it was answered with (null: not answered, e.g. the sender died first) */
  status: number | null;
};

/** What to do with the nth request (0-based): answer a status, or hold it (never answered until closed). */
export type ReceiverPlan = (index: number, entry: ReceivedWebhook) => number | "hold";

/**
 * A real HTTP endpoint for outbound webhooks on 127.0.0.1: records every request, verifies it the way any receiver
 * would (`new Webhook(secret).verify(body, headers)`), and answers as planned (200 by default).
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const held: ServerResponse[] = [];
  const waiters: (() => void)[] = [];
  let secret = "";
  let plan: ReceiverPlan = () => 200;
  let onRequest: (entry: ReceivedWebhook) => void = () => {};
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const entry = verify(secret, request, body);
      const index = received.length;
      received.push(entry);
      const answer = plan(index, entry);
      if (answer === "hold") held.push(response);
      else {
        entry.status = answer;
        response.writeHead(answer, {
          "content-type": "text/plain",
          ...(answer >= 300 && answer < 400 ? { location: "http://127.0.0.1:1/elsewhere" } : {}),
        });
        response.end(answer >= 200 && answer < 300 ? "ok" : `no (${answer})`);
      }
      onRequest(entry);
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    setSecret: (value: string) => {
      secret = value;
    },
    setPlan: (next: ReceiverPlan) => {
      plan = next;
    },
    onRequest: (listener: (entry: ReceivedWebhook) => void) => {
      onRequest = listener;
    },
    /** resolves once `count` requests arrived (fails after `timeoutMs`) */
    waitFor: async (count: number, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`${received.length} of ${count} webhooks arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    acknowledged: () =>
      received.filter((entry) => entry.status !== null && entry.status < 300 && entry.status >= 200),
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

function verify(secret: string, request: IncomingMessage, body: string): ReceivedWebhook {
  const headers = {
    "webhook-id": String(request.headers["webhook-id"] ?? ""),
    "webhook-timestamp": String(request.headers["webhook-timestamp"] ?? ""),
    "webhook-signature": String(request.headers["webhook-signature"] ?? ""),
  };
  let verified = false;
  let payload: ReceivedWebhook["payload"] = null;
  try {
    payload = new Webhook(secret).verify(body, headers) as ReceivedWebhook["payload"];
    verified = true;
  } catch {
    verified = false;
  }
  return {
    id: headers["webhook-id"],
    timestamp: headers["webhook-timestamp"],
    body,
    verified,
    payload,
    status: null,
  };
}
