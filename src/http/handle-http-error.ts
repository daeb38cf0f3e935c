import type { ErrorRequestHandler, RequestHandler } from "express";
import { type ErrorCode, isAppError } from "../errors.js";
import type { Logger } from "../logger.js";

/** The JSON body of every error response. */
export type HttpErrorBody = { error: { code: ErrorCode; message: string } };

/** The last route: anything no route answered is a JSON 404, not Express's HTML page. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, "NOT_FOUND", `No route for ${req.method} ${req.path}.`);
};

/**
 * The error middleware: an AppError keeps its code, status and message; a client error raised by Express or a body
 * parser (a 4xx `status`) becomes BAD_INPUT; anything else is a 500 INTERNAL whose details go to the log only.
 */
export function createHttpErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (isAppError(error)) {
      if (error.status >= 500) log.error(`${req.method} ${req.path} failed: ${error.code} ${error.message}`);
      sendError(res, error.status, error.code, error.message);
      return;
    }
    const status = clientErrorStatus(error);
    if (status) {
      const exposed = (error as { expose?: unknown }).expose === true;
      sendError(res, status, "BAD_INPUT", exposed ? (error as Error).message : "Bad request.");
      return;
    }
    log.error(
      `${req.method} ${req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    sendError(res, 500, "INTERNAL", "Internal server error. The server log has the details.");
  };
}

function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 ? status : undefined;
}

function sendError(
  res: Parameters<RequestHandler>[1],
  status: number,
  code: ErrorCode,
  message: string,
): void {
  const body: HttpErrorBody = { error: { code, message } };
  res.status(status).json(body);
}
