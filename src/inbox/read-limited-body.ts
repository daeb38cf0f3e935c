import type { IncomingMessage } from "node:http";
import { AppError } from "../errors.js";

/**
 * Reads a request body of at most `maxBytes`: a declared `Content-Length` over the limit is refused before a byte is
 * read, and a body that grows past it while streaming (chunked, or a lying header) is refused as soon as it does, so
 * an oversized delivery never costs more than the limit in memory or an HMAC over gigabytes.
 */
export function readLimitedBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanUp();
        request.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    const onAborted = () => {
      cleanUp();
      reject(new AppError("BAD_INPUT", "The request was aborted before its body ended."));
    };
    const cleanUp = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("aborted", onAborted);
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    request.on("aborted", onAborted);
  });
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    "PAYLOAD_TOO_LARGE",
    `The body is larger than ${maxBytes} bytes (GitHub never sends a webhook over 25 MB).`,
  );
}
