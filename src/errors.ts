/** Every failure the app reports to a user is an AppError: a stable code, a message that says how to fix it. */
export const ERROR_STATUS = {
  BAD_INPUT: 400,
  CONFIG_INVALID: 400,
  // The server's own GitHub credentials missing or refused is the server's problem, not the HTTP client's: 401 means
  // only "this API's token is missing or wrong" (the page asks for the token on a 401).
  MISSING_CREDENTIALS: 503,
  GITHUB_AUTH: 502,
  /** the REST API's bearer token (API_TOKEN) is missing or wrong */
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REPOSITORY_NOT_FOUND: 404,
  BRANCH_NOT_FOUND: 404,
  /** the branch was renamed on GitHub: the message names its new name */
  BRANCH_RENAMED: 404,
  COMMIT_NOT_FOUND: 404,
  SYNC_NOT_FOUND: 404,
  SYNC_IN_PROGRESS: 409,
  CONFLICT: 409,
  /** a queued sync replaced by a newer request for its branch (recorded `cancelled`) */
  SUPERSEDED: 409,
  GITHUB_RATE_LIMITED: 429,
  GITHUB_INVALID_RESPONSE: 502,
  GITHUB_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  /** a request body over the size the route accepts (webhooks: GitHub's 25 MB) */
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type AppErrorOptions = {
  /** whether running the same operation again later may succeed (5xx, rate limits, lost connections) */
  retryable?: boolean;
  /** when a retry may succeed (a rate limit's reset), if the failure said so */
  retryAt?: Date;
  cause?: unknown;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAt: Date | null;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.retryable = options.retryable ?? false;
    this.retryAt = options.retryAt ?? null;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Any thrown value as an AppError; unknown errors become INTERNAL with their message kept. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("INTERNAL", message, { cause: error });
}
