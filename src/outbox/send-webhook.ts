import http from "node:http";
import https from "node:https";
import { AppError } from "../errors.js";
import { guardedLookup } from "./guarded-lookup.js";
import { type EndpointTargetPolicy, validateEndpointUrl } from "./validate-endpoint-url.js";

/** How much of an endpoint's answer is kept with the attempt. */
export const RESPONSE_BODY_KEPT = 1024;
// An answer is read no further than this (its status is all that counts); the rest is dropped with the connection.
const RESPONSE_BODY_READ = 64 * 1024;

export type SendWebhookOptions = EndpointTargetPolicy & {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** connect and answer, in all (default 10 s) */
  timeoutMs?: number;
};

/** What an endpoint answered: any status (a 3xx is not followed), and the start of its body. */
export type WebhookResponse = { statusCode: number; body: string };

/**
 * POSTs one signed webhook. The host's addresses are resolved and checked here, and the connection goes to the
 * address checked (no second lookup a DNS rebinding could answer differently); redirects are not followed; the whole
 * exchange times out. A refused target, a network error or a timeout throws an AppError saying which.
 * @example const { statusCode } = await sendWebhook({ url, headers, body, allowPrivateTargets: false });
 */
export async function sendWebhook(options: SendWebhookOptions): Promise<WebhookResponse> {
  // Literal addresses (never passed to `lookup`) and local names are refused here; other names at their lookup.
  const url = validateEndpointUrl(options.url, options);
  const transport = url.protocol === "https:" ? https : http;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: "POST",
      headers: { ...options.headers, "content-length": String(Buffer.byteLength(options.body)) },
      agent: false,
      lookup: guardedLookup(options.allowPrivateTargets),
    });
    const timer = setTimeout(() => {
      request.destroy(new AppError("INTERNAL", `No answer within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    request.once("error", (error) => {
      clearTimeout(timer);
      reject(error instanceof AppError ? error : new AppError("INTERNAL", describeNetworkError(error)));
    });
    request.once("response", (response) => {
      const chunks: Buffer[] = [];
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        if (read < RESPONSE_BODY_KEPT) chunks.push(chunk);
        read += chunk.length;
        if (read >= RESPONSE_BODY_READ) response.destroy();
      });
      const done = () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_KEPT).toString("utf8");
        resolve({ statusCode: response.statusCode ?? 0, body });
      };
      response.once("end", done);
      response.once("close", done);
    });
    request.end(options.body);
  });
}

function describeNetworkError(error: Error & { code?: string }): string {
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
