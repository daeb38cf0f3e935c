import { createHmac } from "node:crypto";
import { SIM_APP } from "../routes/app-routes.js";

export type WebhookTarget = { url: string; secret: string };

export type SendWebhookOptions = {
  target: WebhookTarget;
  event: string;
  /** X-GitHub-Delivery */
  guid: string;
  /** the JSON body, signed as sent */
  body: string;
  /** give up (and report "timed out") after this long without a full answer */
  timeoutMs: number;
};

/** What one attempt came to, in the terms of GitHub's delivery log. */
export type WebhookAttempt = {
  requestHeaders: Record<string, string>;
  /** the target's HTTP status; 0 when it did not answer */
  statusCode: number;
  /** "OK", "Invalid HTTP Response: 503", "failed to connect to host" or "timed out" */
  status: string;
  responseHeaders: Record<string, string>;
  /** null when no answer came */
  responseBody: string | null;
  durationMs: number;
};

// GitHub's hook id of an app's webhook; apps see it in X-GitHub-Hook-ID.
const SIM_HOOK_ID = 1;

/**
 * POSTs a webhook the way GitHub does (JSON body, `X-GitHub-Event`, `X-GitHub-Delivery`, `X-Hub-Signature-256` =
 * HMAC-SHA256 of the body with the secret; redirects are not followed) and reports the outcome instead of throwing:
 * GitHub logs an unreachable or slow target as a failed delivery and carries on.
 */
export async function sendWebhook(options: SendWebhookOptions): Promise<WebhookAttempt> {
  const { target, event, guid, body, timeoutMs } = options;
  const requestHeaders = {
    Accept: "*/*",
    "content-type": "application/json",
    "User-Agent": "GitHub-Hookshot/simulator",
    "X-GitHub-Delivery": guid,
    "X-GitHub-Event": event,
    "X-GitHub-Hook-ID": String(SIM_HOOK_ID),
    "X-GitHub-Hook-Installation-Target-ID": String(SIM_APP.id),
    "X-GitHub-Hook-Installation-Target-Type": "integration",
    "X-Hub-Signature-256": `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`,
  };
  const started = performance.now();
  const noAnswer = (status: string): WebhookAttempt => ({
    requestHeaders,
    statusCode: 0,
    status,
    responseHeaders: {},
    responseBody: null,
    durationMs: performance.now() - started,
  });
  // One signal for the whole exchange: a target that sends headers and then stalls the body also times out.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: requestHeaders,
      body,
      redirect: "manual",
      signal,
    });
    const responseBody = await response.text();
    return {
      requestHeaders,
      statusCode: response.status,
      status: response.ok ? "OK" : `Invalid HTTP Response: ${response.status}`,
      responseHeaders: Object.fromEntries(response.headers),
      responseBody,
      durationMs: performance.now() - started,
    };
  } catch {
    // The signal, not the error's class, tells a timeout apart: errors may come from another realm (Jest's VM).
    return noAnswer(signal.aborted ? "timed out" : "failed to connect to host");
  }
}
