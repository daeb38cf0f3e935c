/**
 * Server-Sent Events over fetch(): EventSource cannot send `Authorization`, and reading the stream ourselves also lets
 * a reconnect send `Last-Event-ID`, so no event is missed.
 */

import { ApiError, authHeaders } from "./api.js";

/** @typedef {{ id: string | null, event: string, data: string }} StreamEvent */

/**
 * Parses a `text/event-stream` body into events (the WHATWG rules: `field: value` lines, comments starting with `:`,
 * a blank line dispatches; multi-line data joined with newlines).
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<StreamEvent | { retry: number }>}
 */
export async function* parseEventStream(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  /** @type {string[]} */
  let data = [];
  let event = "";
  /** @type {string | null} */
  let id = null;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      // a \r at the end of a chunk may be the first half of \r\n: keep it with the unfinished last line
      const held = buffer.endsWith("\r") ? "\r" : "";
      const lines = buffer.slice(0, buffer.length - held.length).split(/\r\n|\r|\n/);
      buffer = (lines.pop() ?? "") + held;
      for (const line of lines) {
        if (line === "") {
          if (data.length > 0) yield { id, event: event || "message", data: data.join("\n") };
          data = [];
          event = "";
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let fieldValue = colon === -1 ? "" : line.slice(colon + 1);
        if (fieldValue.startsWith(" ")) fieldValue = fieldValue.slice(1);
        if (field === "data") data.push(fieldValue);
        else if (field === "event") event = fieldValue;
        else if (field === "id" && !fieldValue.includes("\0")) id = fieldValue;
        else if (field === "retry" && /^\d+$/.test(fieldValue)) yield { retry: Number(fieldValue) };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * @typedef {object} FollowOptions
 * @property {string} url the event stream
 * @property {(event: StreamEvent) => boolean | void} onEvent return true when the event was the last one wanted
 * @property {AbortSignal} signal stops following
 * @property {(error: ApiError) => void} [onError] a refusal (401, 404…) that reconnecting cannot fix
 */

/**
 * Reads an event stream until `onEvent` says it has seen the end or `signal` aborts; a dropped connection (or a stream
 * that ends early) is reopened with `Last-Event-ID` after a short, growing delay.
 * @param {FollowOptions} options
 */
export async function followEventStream({ url, onEvent, signal, onError }) {
  /** @type {string | null} */
  let lastEventId = null;
  let delay = 1000;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const response = await fetch(url, {
        headers: {
          Accept: "text/event-stream",
          ...authHeaders(),
          ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}),
        },
        cache: "no-store",
        signal,
      });
      if (response.status >= 400 && response.status < 500) {
        const body = await response.json().catch(() => null);
        onError?.(
          new ApiError(
            response.status,
            body?.error?.code ?? `HTTP_${response.status}`,
            body?.error?.message ?? `The event stream answered ${response.status}.`,
          ),
        );
        return;
      }
      if (response.ok && response.body) {
        failures = 0;
        for await (const item of parseEventStream(response.body)) {
          if ("retry" in item) {
            delay = item.retry;
            continue;
          }
          if (item.id !== null) lastEventId = item.id;
          if (onEvent(item) === true) return;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      console.debug("event stream interrupted", error);
    }
    failures++;
    await sleep(Math.min(delay * failures, 15_000), signal);
  }
}

/**
 * @param {number} ms
 * @param {AbortSignal} signal
 */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
      { once: true },
    );
  });
}
