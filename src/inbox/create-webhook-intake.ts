import type { Request, RequestHandler, Response } from "express";
import { ERROR_STATUS, type ErrorCode, isAppError, toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import type { InboxStore, IncomingDelivery, StoreOutcome } from "./inbox-store.js";
import { readLimitedBody } from "./read-limited-body.js";
import { verifyWebhookSignature } from "./verify-webhook-signature.js";

/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** Which deliveries the app acts on, and whether a payload has the fields its handler reads. */
export type WebhookEvents = {
  /** false: answered 200 and not stored (GitHub sends events the app does not act on, e.g. its own check runs) */
  handles(event: string, action: string | null): boolean;
  /** a problem with the payload (the handler could not read it), or null */
  validate(event: string, payload: Record<string, unknown>): string | null;
};

export type CreateWebhookIntakeOptions = {
  /** WEBHOOK_PATH; a POST to / carrying GitHub's event header is a delivery too (Probot's setup flow registers /) */
  path: string;
  secret: string;
  store: InboxStore;
  events: WebhookEvents;
  log: Logger;
  metrics?: AppMetrics;
  /** a delivery was stored: wake this process's inbox processor */
  onStored?: () => void;
  /** whether the database answered (false: a delivery got 503): the app redelivers what failed once it is back */
  onDatabase?: (reachable: boolean) => void;
  maxBytes?: number;
};

type Outcome =
  | "accepted"
  | "requeued"
  | "duplicate"
  | "ignored"
  | "bad_request"
  | "bad_signature"
  | "too_large"
  | "unsupported_type"
  | "malformed"
  | "unavailable";

const GUID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT = /^[a-z_]{1,64}$/;

/**
 * Acknowledge first, work later: verifies a delivery's signature, stores it in the inbox with one insert (a known
 * `X-GitHub-Delivery` changes nothing) and answers 202 — everything else happens after, from the inbox. Bodies over
 * 25 MB are refused (413) before the signature is computed; a signed but malformed payload gets 400 and a log line;
 * a database that cannot be reached gets 503, which GitHub records as a failed delivery to be redelivered.
 * @example app.use(createWebhookIntake({ path: "/api/github/webhooks", secret, store, events, log }))
 */
export function createWebhookIntake(options: CreateWebhookIntakeOptions): RequestHandler {
  const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  return (req, res, next) => {
    if (req.method !== "POST") return next();
    const isDelivery =
      req.path === options.path || (req.path === "/" && req.headers["x-github-event"] !== undefined);
    if (!isDelivery) return next();
    const started = process.hrtime.bigint();
    const event = header(req, "x-github-event") ?? "";
    let outcome: Outcome = "bad_request";
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.metrics?.ackSeconds.observe({ outcome }, seconds);
      options.metrics?.deliveries.inc({ event: EVENT.test(event) ? event : "invalid", outcome });
    });
    receive(req, options, maxBytes).then(
      (answer) => {
        outcome = answer.outcome;
        res.status(answer.status).json(answer.body);
      },
      (error: unknown) => {
        const refused = refusal(error);
        outcome = refused.outcome;
        if (refused.outcome === "too_large") {
          // the rest of the body is not read: the connection cannot be reused
          res.setHeader("Connection", "close");
          res.once("finish", () => req.socket.destroySoon());
        }
        if (refused.status >= 500) {
          options.log.error(
            `Webhook delivery ${header(req, "x-github-delivery") ?? "?"} refused: ${toAppError(error).message}`,
          );
        }
        sendError(res, refused.status, refused.code, refused.message);
      },
    );
  };
}

type Answer = { status: number; outcome: Outcome; body: Record<string, unknown> };

async function receive(req: Request, options: CreateWebhookIntakeOptions, maxBytes: number): Promise<Answer> {
  const event = header(req, "x-github-event");
  const id = header(req, "x-github-delivery");
  if (!event || !EVENT.test(event) || !id || !GUID.test(id)) {
    throw refuse(
      "bad_request",
      "BAD_INPUT",
      "X-GitHub-Event and X-GitHub-Delivery are required (a GitHub webhook delivery).",
    );
  }
  const type = String(req.headers["content-type"] ?? "")
    .split(";")[0]
    ?.trim()
    .toLowerCase();
  if (type !== "application/json") {
    throw refuse(
      "unsupported_type",
      "UNSUPPORTED_MEDIA_TYPE",
      "Webhook deliveries must be application/json (the GitHub App's content type).",
    );
  }
  const body = await readLimitedBody(req, maxBytes);
  if (!verifyWebhookSignature(options.secret, body, header(req, "x-hub-signature-256"))) {
    throw refuse(
      "bad_signature",
      "UNAUTHORIZED",
      "X-Hub-Signature-256 does not match the body: check WEBHOOK_SECRET.",
    );
  }
  const text = body.toString("utf8");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw malformed(options, id, event, "the body is not JSON");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw malformed(options, id, event, "the body is not a JSON object");
  }
  const fields = payload as Record<string, unknown>;
  const action = typeof fields.action === "string" ? fields.action : null;
  if (!options.events.handles(event, action)) {
    return { status: 200, outcome: "ignored", body: { status: "ignored", id } };
  }
  const problem = options.events.validate(event, fields);
  if (problem) throw malformed(options, id, event, problem);
  const delivery: IncomingDelivery = {
    id,
    event,
    action,
    installationId: numericId(fields.installation),
    repositoryGithubId: numericId(fields.repository),
    payload: text,
    receivedAt: new Date(),
  };
  let stored: StoreOutcome;
  try {
    stored = await options.store.insert(delivery);
  } catch (error) {
    options.onDatabase?.(false);
    throw refuse(
      "unavailable",
      "DATABASE_UNAVAILABLE",
      "The delivery could not be stored in time (the database is unreachable or overloaded); the app asks GitHub to redeliver it once the database answers again.",
      error,
    );
  }
  options.onDatabase?.(true);
  if (stored === "duplicate") return { status: 200, outcome: "duplicate", body: { status: "duplicate", id } };
  options.onStored?.();
  return stored === "requeued"
    ? { status: 202, outcome: "requeued", body: { status: "requeued", id } }
    : { status: 202, outcome: "accepted", body: { status: "accepted", id } };
}

class Refusal extends Error {
  constructor(
    readonly outcome: Outcome,
    readonly code: ErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

function refuse(outcome: Outcome, code: ErrorCode, message: string, cause?: unknown): Refusal {
  return new Refusal(outcome, code, message, cause);
}

function malformed(options: CreateWebhookIntakeOptions, id: string, event: string, problem: string): Refusal {
  options.log.warn(`Webhook delivery ${id} (${event}) refused: ${problem}`);
  return refuse("malformed", "BAD_INPUT", `The ${event} payload is malformed: ${problem}.`);
}

function refusal(error: unknown): { outcome: Outcome; status: number; code: ErrorCode; message: string } {
  if (error instanceof Refusal) {
    return {
      outcome: error.outcome,
      status: ERROR_STATUS[error.code],
      code: error.code,
      message: error.message,
    };
  }
  if (isAppError(error) && error.code === "PAYLOAD_TOO_LARGE") {
    return { outcome: "too_large", status: 413, code: error.code, message: error.message };
  }
  if (isAppError(error) && error.status < 500) {
    return { outcome: "bad_request", status: error.status, code: error.code, message: error.message };
  }
  // never database error text or file paths in an answer: the log has the details
  return {
    outcome: "unavailable",
    status: 500,
    code: "INTERNAL",
    message: "The delivery could not be received.",
  };
}

function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message } });
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

function numericId(value: unknown): number | null {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === "number" && Number.isSafeInteger(id) ? id : null;
}
