// A streaming Server-Sent Events client over fetch for the SSE tests: it reads messages one at a time, so a test can
// act between them (record an event, disconnect, reconnect with Last-Event-ID).

/** One SSE block as sent: fields present only when the block had them; `comment` for `: ping` lines. */
export type SseMessage = {
  id?: string;
  event?: string;
  data?: unknown;
  retry?: number;
  comment?: string;
};

export type SseConnection = {
  status: number;
  headers: Headers;
  /** the next message, or null once the server has closed the stream */
  next: () => Promise<SseMessage | null>;
  /** messages until the server closes the stream (comments and retry lines left out unless `all`) */
  rest: (options?: { all?: boolean }) => Promise<SseMessage[]>;
  /** messages until one matches (it included); throws when the stream ends first */
  until: (match: (message: SseMessage) => boolean) => Promise<SseMessage[]>;
  /** the client goes away */
  close: () => void;
};

/** GETs `url` as an event stream; `lastEventId` goes in the `Last-Event-ID` header. */
export async function connectSse(
  url: string,
  options: { lastEventId?: string } = {},
): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: {
      accept: "text/event-stream",
      ...(options.lastEventId === undefined ? {} : { "last-event-id": options.lastEventId }),
    },
    signal: abort.signal,
  });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;

  const next = async (): Promise<SseMessage | null> => {
    for (;;) {
      const boundary = buffer.indexOf("\n\n");
      if (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        return parseBlock(block);
      }
      if (ended || !reader) return null;
      const chunk = await reader.read();
      if (chunk.done) {
        ended = true;
        continue;
      }
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  const isContent = (message: SseMessage) => message.comment === undefined && message.retry === undefined;

  return {
    status: response.status,
    headers: response.headers,
    next,
    rest: async (restOptions = {}) => {
      const messages: SseMessage[] = [];
      for (let message = await next(); message; message = await next()) {
        if (restOptions.all || isContent(message)) messages.push(message);
      }
      return messages;
    },
    until: async (match) => {
      const messages: SseMessage[] = [];
      for (;;) {
        const message = await next();
        if (!message)
          throw new Error(`the stream ended before the awaited message: ${JSON.stringify(messages)}`);
        if (isContent(message)) messages.push(message);
        if (match(message)) return messages;
      }
    },
    close: () => abort.abort(),
  };
}

function parseBlock(block: string): SseMessage {
  const message: SseMessage = {};
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) {
      message.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") message.id = value;
    else if (field === "event") message.event = value;
    else if (field === "retry") message.retry = Number(value);
    else if (field === "data") data.push(value);
  }
  if (data.length > 0) message.data = JSON.parse(data.join("\n"));
  return message;
}
