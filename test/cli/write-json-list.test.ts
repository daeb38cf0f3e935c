import { describe, expect, it } from "@jest/globals";
import type { Output } from "../../src/cli/create-output.js";
import { ReportedInJsonError, writeJsonList } from "../../src/cli/write-json-list.js";
import { AppError } from "../../src/errors.js";

function memoryOutput(): Output & { text: string; writes: number } {
  const output = {
    text: "",
    writes: 0,
    async write(chunk: string) {
      output.text += chunk;
      output.writes += 1;
    },
  };
  return output;
}

async function* pagesOf<T>(pages: T[][], failAfter?: Error): AsyncGenerator<T[]> {
  yield* pages;
  if (failAfter) throw failAfter;
}

describe("writeJsonList", () => {
  it("streams pages as one JSON document, one write per page, one item per line", async () => {
    const out = memoryOutput();

    await writeJsonList(out, "entries", pagesOf([[{ a: 1 }, { a: 2 }], [], [{ a: 3 }]]));

    expect(out.text).toBe('{"entries":[\n{"a":1},\n{"a":2},\n{"a":3}\n]}\n');
    expect(JSON.parse(out.text)).toEqual({ entries: [{ a: 1 }, { a: 2 }, { a: 3 }] });
    expect(out.writes).toBe(4);
  });

  it("writes an empty list", async () => {
    const out = memoryOutput();

    await writeJsonList(out, "syncs", pagesOf([]));

    expect(JSON.parse(out.text)).toEqual({ syncs: [] });
  });

  it("writes nothing when the first page fails, so the caller can report the error", async () => {
    const out = memoryOutput();
    const error = new AppError("SYNC_NOT_FOUND", "No sync 1.");

    await expect(writeJsonList(out, "entries", pagesOf([], error))).rejects.toBe(error);
    expect(out.text).toBe("");
  });

  it("closes the document with the error when a later page fails: stdout still holds one JSON document", async () => {
    const out = memoryOutput();
    const error = new AppError("DATABASE_UNAVAILABLE", "connection lost");

    const written = writeJsonList(out, "entries", pagesOf([[{ a: 1 }]], error));

    await expect(written).rejects.toBeInstanceOf(ReportedInJsonError);
    expect(JSON.parse(out.text)).toEqual({
      entries: [{ a: 1 }],
      error: { code: "DATABASE_UNAVAILABLE", message: "connection lost" },
    });
  });
});
