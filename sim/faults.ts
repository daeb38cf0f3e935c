import type { IncomingMessage, ServerResponse } from "node:http";
import { secondaryLimitRefusal } from "./secondary-limits.js";
import type { Fault, SimulatorState } from "./simulator-state.js";

const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
  "If you reach out to GitHub Support for help, please include the request ID.";

/** The first armed fault for this route (or for any route), using up one of its `times`. */
export function takeFault(sim: SimulatorState, routeName: string): Fault | undefined {
  const index = sim.faults.findIndex(
    (fault) => fault.times > 0 && (!fault.route || fault.route === routeName),
  );
  if (index < 0) return undefined;
  const fault = sim.faults[index] as Fault;
  fault.times -= 1;
  if (fault.times <= 0) sim.faults.splice(index, 1);
  return fault;
}

/** Fails the request the way GitHub would: an error status with GitHub's body and headers, or a dropped connection. */
export function answerFault(fault: Fault, request: IncomingMessage, response: ServerResponse): void {
  if (fault.kind === "reset") {
    request.socket.destroy();
    return;
  }
  request.resume();
  if (fault.kind === "secondary-rate-limit-403" || fault.kind === "secondary-rate-limit-429") {
    // As GitHub usually sends it: no retry-after, and the primary-limit headers as they were (not 0).
    const requestId = String(response.getHeader("x-github-request-id") ?? "");
    const refusal = secondaryLimitRefusal(requestId, fault.kind === "secondary-rate-limit-429" ? 429 : 403);
    const body = JSON.stringify(refusal.json);
    response.writeHead(refusal.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(Buffer.byteLength(body)),
    });
    response.end(body);
    return;
  }
  const { status, headers, message } = faultAnswer(fault);
  const body = JSON.stringify({ message, documentation_url: "https://docs.github.com/rest" });
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

function faultAnswer(fault: Fault): { status: number; headers: Record<string, string>; message: string } {
  switch (fault.kind) {
    case "500":
      return { status: 500, headers: {}, message: "Server Error" };
    case "502":
      return { status: 502, headers: {}, message: "Server Error" };
    case "secondary-rate-limit":
      return { status: 403, headers: { "retry-after": "1" }, message: SECONDARY_RATE_LIMIT_MESSAGE };
    case "rate-limit":
      return {
        status: 403,
        headers: {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-used": "5000",
          "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60),
        },
        message: "API rate limit exceeded for installation ID 1.",
      };
    default:
      return { status: 500, headers: {}, message: "Server Error" };
  }
}
