// The page's SSE parser and its mapping to live state (browser modules, plain JS; run here on Node's web streams).
import { describe, expect, it } from "@jest/globals";

type StreamItem = { id: string | null; event: string; data: string } | { retry: number };
type LiveState = {
  status: string;
  phase: string | null;
  counts: Record<string, number>;
  progress: { done: number; total: number } | null;
  error: { code: string; message: string } | null;
};

// The modules are checked by `tsc -p src/web` (checkJs); this project's tsconfig has no allowJs, so they are imported
// untyped and given the types used here.
const { parseEventStream } = (await import("../../src/web/assets/event-stream.js" as string)) as {
  parseEventStream: (body: ReadableStream<Uint8Array>) => AsyncGenerator<StreamItem>;
};
const { toLiveState } = (await import("../../src/web/assets/follow-sync.js" as string)) as {
  toLiveState: (data: string) => LiveState | null;
};

/** A body delivered in exactly these chunks. */
function body(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function parse(chunks: string[]): Promise<StreamItem[]> {
  const items: StreamItem[] = [];
  for await (const item of parseEventStream(body(chunks))) items.push(item);
  return items;
}

describe("parseEventStream", () => {
  it("reads ids, event names, multi-line data, comments and retry, whatever the chunking", async () => {
    const stream =
      'retry: 2000\n\nevent: sync\ndata: {"status":"queued"}\n\n: ping\n\nid: 41\nevent: phase\ndata: line 1\ndata: line 2\n\n' +
      "id: 42\r\nevent: status\r\ndata:no space\r\ndata: crlf\r\n\r\ndata: not dispatched without a blank line";
    const expected = [
      { retry: 2000 },
      { id: null, event: "sync", data: '{"status":"queued"}' },
      { id: "41", event: "phase", data: "line 1\nline 2" },
      { id: "42", event: "status", data: "no space\ncrlf" },
    ];

    expect(await parse([stream])).toEqual(expected);
    // one byte at a time: lines and \r\n pairs split across chunks
    expect(await parse([...stream])).toEqual(expected);
  });

  it("keeps a UTF-8 character split across chunks whole", async () => {
    const bytes = new TextEncoder().encode("data: π → ✓\n\n");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });

    const items: StreamItem[] = [];
    for await (const item of parseEventStream(stream)) items.push(item);

    expect(items).toEqual([{ id: null, event: "message", data: "π → ✓" }]);
  });
});

describe("toLiveState", () => {
  it("reads a snapshot (a sync) and a progress event alike, and ignores what is neither", () => {
    const counts = { added: 1, modified: 2, removed: 0, renamed: 0, unchanged: 7 };

    expect(
      toLiveState(JSON.stringify({ id: "s", status: "running", phase: "diff", counts, error: null })),
    ).toEqual({
      status: "running",
      phase: "diff",
      counts,
      progress: null,
      error: null,
    });
    expect(
      toLiveState(
        JSON.stringify({
          type: "progress",
          status: "running",
          phase: "fetch",
          counts,
          progress: { done: 3, total: 9 },
        }),
      ),
    ).toMatchObject({ phase: "fetch", progress: { done: 3, total: 9 } });
    expect(toLiveState("not json")).toBeNull();
    expect(toLiveState(JSON.stringify({ hello: 1 }))).toBeNull();
  });
});
