import { z } from "zod";
import { AppError, type ErrorCode, isAppError } from "../errors.js";
import { formatZodIssues } from "../format-zod-issues.js";

export type GitHubErrorContext = {
  /** what was being read, for the message: `branch "main" of octo/hello` */
  what: string;
  /** the code a 404 (or GraphQL NOT_FOUND) becomes; default NOT_FOUND */
  notFound?: ErrorCode;
  /** further HTTP statuses that mean "not found" for this endpoint (GitHub answers 422 for some unknown SHAs) */
  notFoundStatuses?: readonly number[];
};

// The parts of Octokit's RequestError we read. Duck-typed: Probot may bundle another copy of @octokit/request-error,
// and then `instanceof` fails.
type HttpErrorLike = {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
};

type GraphqlErrorLike = { errors: { type?: string; message?: string }[] };

// Low-level socket failures: fetch reports them as TypeError("fetch failed") with one of these codes as cause.
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Any error from a GitHub call as an AppError whose message says how to fix it. The connector's only error mapper.
 * @example throw mapGitHubError(error, { what: `branch "main" of octo/hello`, notFound: "BRANCH_NOT_FOUND" })
 */
export function mapGitHubError(error: unknown, context: GitHubErrorContext): AppError {
  if (isAppError(error)) return error;
  const { what } = context;
  if (error instanceof z.ZodError) {
    const issues = formatZodIssues(error.issues, { limit: 3, subject: (path) => path || "(root)" });
    return new AppError(
      "GITHUB_INVALID_RESPONSE",
      `GitHub sent an unexpected response for ${what}: ${issues}`,
      {
        cause: error,
      },
    );
  }
  if (isGraphqlError(error)) return mapGraphqlError(error, context);
  if (isHttpError(error)) return mapHttpError(error, context);
  if (isNetworkError(error)) return unavailable(what, error);
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("INTERNAL", `Reading ${what} from GitHub failed: ${message}`, { cause: error });
}

function mapHttpError(error: HttpErrorLike, context: GitHubErrorContext): AppError {
  const { status } = error;
  const { what } = context;
  const headers = error.response?.headers ?? {};
  const githubMessage = messageOf(error.response?.data) ?? error.message;
  if (status === 404 || context.notFoundStatuses?.includes(status)) return notFound(context, error);
  if (status === 401) {
    return new AppError(
      "GITHUB_AUTH",
      `GitHub rejected the credentials while reading ${what} (401 ${githubMessage}): check GITHUB_TOKEN, or APP_ID and PRIVATE_KEY.`,
      { cause: error },
    );
  }
  if ((status === 403 || status === 429) && isSecondaryLimit(headers, githubMessage)) {
    // GitHub often sends no retry-after for these; its documentation says to wait at least a minute.
    const retryAfter = Number(headers["retry-after"]);
    const wait = headers["retry-after"] !== undefined && Number.isFinite(retryAfter) ? retryAfter : 60;
    return new AppError(
      "GITHUB_RATE_LIMITED",
      `GitHub's secondary rate limit was hit by a request for ${what}; retrying after ${wait} s.`,
      { retryable: true, retryAt: new Date(Date.now() + wait * 1000), cause: error },
    );
  }
  if ((status === 403 || status === 429) && isRateLimited(headers, githubMessage)) {
    return new AppError(
      "GITHUB_RATE_LIMITED",
      `GitHub rate limit exceeded by a request for ${what}; ${whenItResets(headers)}.`,
      { retryable: true, retryAt: resetAt(headers), cause: error },
    );
  }
  if (status === 403) {
    return new AppError(
      "FORBIDDEN",
      `GitHub refused access to ${what} (403 ${githubMessage}): the GitHub App needs the repository permission "Contents: read" (and "Metadata: read"), and a token needs access to the repository (the "repo" scope for private ones).`,
      { cause: error },
    );
  }
  if (status === 409 && /repository is empty/i.test(githubMessage)) {
    return new AppError("CONFLICT", `The repository is empty: ${what} has no commits yet.`, { cause: error });
  }
  if (status >= 500 && status <= 599) return unavailable(what, error);
  if (status === 400 || status === 422) {
    return new AppError(
      "BAD_INPUT",
      `GitHub rejected the request for ${what} (${status} ${githubMessage}).`,
      {
        cause: error,
      },
    );
  }
  return new AppError("GITHUB_INVALID_RESPONSE", `GitHub answered ${status} for ${what}: ${githubMessage}`, {
    cause: error,
  });
}

function mapGraphqlError(error: GraphqlErrorLike, context: GitHubErrorContext): AppError {
  const { what } = context;
  const types = error.errors.map((item) => item.type);
  const messages = error.errors.map((item) => item.message ?? item.type ?? "unknown error").join("; ");
  if (types.includes("RATE_LIMITED")) {
    return new AppError(
      "GITHUB_RATE_LIMITED",
      `GitHub GraphQL rate limit exceeded while reading ${what}; it resets within the hour (see GET /rate_limit).`,
      { retryable: true, cause: error },
    );
  }
  if (types.includes("NOT_FOUND")) return notFound(context, error);
  if (types.includes("FORBIDDEN")) {
    return new AppError(
      "FORBIDDEN",
      `GitHub refused access to ${what} (${messages}): the GitHub App needs the repository permission "Contents: read".`,
      { cause: error },
    );
  }
  // GitHub reports query timeouts as untyped errors ("Something went wrong while executing your query").
  if (types.every((type) => type === undefined)) {
    return new AppError("GITHUB_UNAVAILABLE", `GitHub could not answer for ${what}: ${messages}`, {
      retryable: true,
      cause: error,
    });
  }
  return new AppError("GITHUB_INVALID_RESPONSE", `GitHub GraphQL failed for ${what}: ${messages}`, {
    cause: error,
  });
}

function notFound(context: GitHubErrorContext, cause: unknown): AppError {
  return new AppError(
    context.notFound ?? "NOT_FOUND",
    `GitHub found no ${context.what}, or the app/token has no access to it.`,
    { cause },
  );
}

function unavailable(what: string, cause: unknown): AppError {
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  const status = isHttpError(cause) && cause.response ? ` (${cause.status})` : "";
  return new AppError(
    "GITHUB_UNAVAILABLE",
    `GitHub is unavailable while reading ${what}${status}${detail}; try again later.`,
    {
      retryable: true,
      cause,
    },
  );
}

/** A secondary (abuse) limit: GitHub says so in its message, and the primary limit is not what ran out. */
function isSecondaryLimit(headers: Record<string, string | number | undefined>, message: string): boolean {
  return (
    /secondary rate limit|abuse detection/i.test(message) && String(headers["x-ratelimit-remaining"]) !== "0"
  );
}

function isRateLimited(headers: Record<string, string | number | undefined>, message: string): boolean {
  return (
    String(headers["x-ratelimit-remaining"]) === "0" ||
    headers["retry-after"] !== undefined ||
    /rate limit/i.test(message)
  );
}

function whenItResets(headers: Record<string, string | number | undefined>): string {
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) {
    return `GitHub asks to retry after ${retryAfter} s`;
  }
  const reset = Number(headers["x-ratelimit-reset"]);
  if (headers["x-ratelimit-reset"] !== undefined && Number.isFinite(reset)) {
    return `it resets at ${new Date(reset * 1000).toISOString()}`;
  }
  return "try again in a few minutes";
}

/** When GitHub said the limit resets (`retry-after` seconds, or the `x-ratelimit-reset` epoch), if it said so. */
function resetAt(headers: Record<string, string | number | undefined>): Date | undefined {
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) {
    return new Date(Date.now() + retryAfter * 1000);
  }
  const reset = Number(headers["x-ratelimit-reset"]);
  if (headers["x-ratelimit-reset"] !== undefined && Number.isFinite(reset)) return new Date(reset * 1000);
  return undefined;
}

function messageOf(data: unknown): string | undefined {
  if (typeof data === "object" && data !== null && "message" in data && typeof data.message === "string") {
    return data.message;
  }
  return undefined;
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return error instanceof Error && "status" in error && typeof error.status === "number";
}

function isGraphqlError(error: unknown): error is GraphqlErrorLike {
  return (
    error instanceof Error &&
    error.name === "GraphqlResponseError" &&
    "errors" in error &&
    Array.isArray(error.errors)
  );
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "AbortError" || error.name === "TimeoutError") return true;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  return error.name === "TypeError" && error.message === "fetch failed";
}
