import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { answerFault, takeFault } from "./faults.js";
import { HttpError, notFound, type Reply, type ResponseReply } from "./reply.js";
import { findRoute, type Route } from "./router.js";
import { admitContentWrite, secondaryLimitRefusal } from "./secondary-limits.js";
import type { SimulatorState } from "./simulator-state.js";
import { tokenInstallation } from "./token-installation.js";

const UNMATCHED = "(unmatched)";
let requestSerial = 0;

/**
 * One request, start to end: route it, count it (bytes as they are written, streams included), wait the configured
 * latency, fail it if a fault is armed for its route, refuse it if it creates content over a secondary limit, else
 * run the route and send its reply. Writes are recorded.
 */
export async function handleRequest(
  sim: SimulatorState,
  routes: readonly Route[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://simulator");
  const method = request.method ?? "GET";
  const found = findRoute(routes, method, url.pathname);
  const name = found ? found.route.name : `${method} ${UNMATCHED}`;
  countRequest(sim, name, response);
  const requestId = `SIM:${(++requestSerial).toString(16).toUpperCase()}`;
  response.setHeader("x-github-request-id", requestId);
  setRateLimitHeaders(response);

  if (sim.latencyMs > 0) await sleep(sim.latencyMs);
  const hold = sim.holds.find((candidate) => candidate.route === name);
  if (hold) {
    hold.arrive();
    await hold.released;
  }
  const fault = takeFault(sim, name);
  if (fault) {
    answerFault(fault, request, response);
    return;
  }
  if (!found) {
    request.resume();
    send(response, notFound().toReply());
    return;
  }
  if (found.route.contentCreating) {
    // Counted per installation like GitHub's limit; requests without a token the simulator issued count under 0.
    const installationId = tokenInstallation(sim, request.headers.authorization) ?? 0;
    if (!admitContentWrite(sim, installationId)) {
      request.resume();
      send(response, secondaryLimitRefusal(requestId));
      return;
    }
  }

  let body: unknown;
  let reply: Reply;
  try {
    body = await readJsonBody(request);
    reply = await found.route.handler({
      sim,
      params: found.params,
      query: url.searchParams,
      headers: request.headers,
      body,
      request,
      response,
    });
  } catch (error) {
    reply = errorReply(error);
  }
  if (found.route.record) {
    sim.recorded.push({
      route: name,
      method,
      path: url.pathname.replace(/^\/api\/v3/, ""),
      params: found.params,
      body,
      status: reply === "handled" ? response.statusCode : reply.status,
    });
  }
  if (reply === "handled") return;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  send(response, reply);
}

/** Writes a JSON or bytes reply with GitHub's JSON content type by default. */
export function send(response: ServerResponse, reply: ResponseReply): void {
  const isJson = "json" in reply;
  const payload = isJson ? Buffer.from(JSON.stringify(reply.json)) : Buffer.from(reply.body);
  response.writeHead(reply.status, {
    ...(isJson ? { "content-type": "application/json; charset=utf-8" } : {}),
    ...reply.headers,
    "content-length": String(payload.length),
  });
  response.end(payload);
}

function errorReply(error: unknown): ResponseReply {
  if (error instanceof HttpError) return error.toReply();
  if (error instanceof SyntaxError) return { status: 400, json: { message: "Problems parsing JSON" } };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, json: { message: `simulator error: ${message}` } };
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (request.method === "GET" || request.method === "HEAD") {
    request.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text.trim() === "" ? undefined : JSON.parse(text);
}

/** Counts the request now and its body bytes as they are written (streamed tarballs included). */
function countRequest(sim: SimulatorState, name: string, response: ServerResponse): void {
  const { stats } = sim;
  stats.requests[name] = (stats.requests[name] ?? 0) + 1;
  stats.total += 1;
  const arrived = performance.now();
  response.once("finish", () => {
    // stats may have been reset meanwhile: the time goes to whichever stats are current
    sim.stats.serveMs[name] = (sim.stats.serveMs[name] ?? 0) + (performance.now() - arrived);
  });
  const add = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    const size =
      typeof chunk === "string"
        ? Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : (chunk as Uint8Array).byteLength;
    stats.bytes[name] = (stats.bytes[name] ?? 0) + size;
    stats.totalBytes += size;
  };
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    add(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse["write"];
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    add(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse["end"];
}

function setRateLimitHeaders(response: ServerResponse): void {
  response.setHeader("x-ratelimit-limit", "5000");
  response.setHeader("x-ratelimit-remaining", "4999");
  response.setHeader("x-ratelimit-used", "1");
  response.setHeader("x-ratelimit-reset", String(Math.floor(Date.now() / 1000) + 3600));
  response.setHeader("x-ratelimit-resource", "core");
}
