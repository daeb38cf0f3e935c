/** A response to send: JSON, or raw bytes. */
export type ResponseReply =
  | { status: number; headers?: Record<string, string>; json: unknown }
  | { status: number; headers?: Record<string, string>; body: Buffer | string };

/** What a route answers: a response, or "handled" when the route wrote (streamed) the response itself. */
export type Reply = ResponseReply | "handled";

const DOCUMENTATION_URL = "https://docs.github.com/rest";

/** An error answer shaped like GitHub's: `{ message, documentation_url }`. Routes throw it; the server replies. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;
  constructor(
    status: number,
    message: string,
    options: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }

  toReply(): ResponseReply {
    return {
      status: this.status,
      headers: this.headers,
      json: { message: this.message, documentation_url: DOCUMENTATION_URL, ...this.extra },
    };
  }
}

/** A 200 (or other status) JSON reply. */
export function json(data: unknown, status = 200, headers?: Record<string, string>): ResponseReply {
  return { status, json: data, ...(headers ? { headers } : {}) };
}

/** GitHub's 404 body. */
export function notFound(message = "Not Found"): HttpError {
  return new HttpError(404, message);
}

/** GitHub's 422 body for invalid input. */
export function unprocessable(message: string, errors?: unknown[]): HttpError {
  return new HttpError(422, message, errors ? { extra: { errors } } : {});
}
