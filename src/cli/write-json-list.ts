import { toAppError } from "../errors.js";
import type { Output } from "./create-output.js";

/** The error was already written into the JSON document on stdout; only stderr and the exit code are left to do. */
export class ReportedInJsonError extends Error {
  constructor(readonly error: unknown) {
    super(toAppError(error).message, { cause: error });
    this.name = "ReportedInJsonError";
  }
}

/**
 * Streams `{ "<key>": [ ... ] }` page by page, one item per line, so a listing of any size is never one big string.
 * A failure before the first page leaves stdout empty (the caller reports it); a failure after it closes the
 * document with `"error": { code, message }`, so stdout still holds exactly one JSON document.
 */
export async function writeJsonList(
  out: Output,
  key: string,
  pages: AsyncIterable<readonly unknown[]>,
): Promise<void> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = await iterator.next();
  await out.write(`{${JSON.stringify(key)}:[`);
  let first = true;
  try {
    while (!next.done) {
      if (next.value.length > 0) {
        const lines = next.value.map((item) => JSON.stringify(item)).join(",\n");
        await out.write(`${first ? "\n" : ",\n"}${lines}`);
        first = false;
      }
      next = await iterator.next();
    }
  } catch (error) {
    const { code, message } = toAppError(error);
    await out.write(`${first ? "" : "\n"}],"error":${JSON.stringify({ code, message })}}\n`);
    throw new ReportedInJsonError(error);
  } finally {
    await iterator.return?.();
  }
  await out.write(`${first ? "" : "\n"}]}\n`);
}
