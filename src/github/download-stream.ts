import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { AppError } from "../errors.js";

/**
 * GETs a URL as a Node stream (node:http/https, following no redirect), for a large download whose consumer pauses:
 * the archive GitHub's tarball endpoint redirects to. fetch's body (a web stream bridged back to Node) was measured
 * to stall such a consumer: with 300 ms pauses per 4 MB batch (a database write), 14,000 files of a streamed archive
 * took 134 s instead of a few; the socket's read buffer was re-read from its start on every resume (85 % of the CPU).
 * Resolves with the body once the answer is 200; anything else is an error naming the status.
 */
export function downloadStream(
  url: string,
  options: { what: string; timeoutMs?: number },
): Promise<Readable> {
  const target = new URL(url);
  const get = target.protocol === "https:" ? https.get : target.protocol === "http:" ? http.get : null;
  if (!get)
    return Promise.reject(
      new AppError("GITHUB_INVALID_RESPONSE", `GitHub sent the ${options.what} at ${target.protocol} URL.`),
    );
  return new Promise<Readable>((resolve, reject) => {
    const request = get(target, { headers: { "user-agent": "project-sync", accept: "*/*" } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(
          new AppError(
            response.statusCode !== undefined && response.statusCode >= 500
              ? "GITHUB_UNAVAILABLE"
              : "GITHUB_INVALID_RESPONSE",
            `GitHub answered ${response.statusCode} for the ${options.what}.`,
            { retryable: response.statusCode !== undefined && response.statusCode >= 500 },
          ),
        );
        return;
      }
      resolve(response);
    });
    request.setTimeout(options.timeoutMs ?? 60_000, () =>
      request.destroy(
        new AppError("GITHUB_UNAVAILABLE", `GitHub did not start sending the ${options.what} in time.`, {
          retryable: true,
        }),
      ),
    );
    request.once("response", () => request.setTimeout(0));
    request.once("error", (error) =>
      reject(
        error instanceof AppError
          ? error
          : new AppError("GITHUB_UNAVAILABLE", `Downloading the ${options.what} failed: ${error.message}`, {
              retryable: true,
              cause: error,
            }),
      ),
    );
  });
}
