import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { RequestHandler } from "express";
import type { Principal } from "../auth/principal.js";
import { toAppError } from "../errors.js";
import { principalOf } from "../http/create-access-guard.js";
import type { Logger } from "../logger.js";
import type { McpServerHandle } from "./create-mcp-server.js";

export type McpHttpHandlerOptions = {
  /** a new server for each new session, acting for the principal that opened it (the access guard's) */
  createServer: (principal: Principal) => McpServerHandle;
  log: Logger;
  /** sessions kept at once; a new one beyond closes the least recently used (default 100) */
  maxSessions?: number;
  /** a session with no request and no open stream for this long is closed (default 30 minutes) */
  idleMs?: number;
  now?: () => number;
};

export type McpHttpHandler = {
  /** mount at /mcp behind the access guard: POST (messages), GET (the session's notification stream), DELETE */
  handler: RequestHandler;
  /** closes every session (their open streams end); further requests for them get 404 */
  close: () => Promise<void>;
  sessionCount: () => number;
  /** closes the idle sessions now (a timer does it every minute) */
  sweepIdle: () => Promise<void>;
};

type Session = {
  transport: StreamableHTTPServerTransport;
  handle: McpServerHandle;
  lastSeen: number;
  /** GET streams open: a client listening for notifications is not idle */
  streams: number;
  /** who opened it (principalKey): only they may use it */
  owner: string;
};

// a JSON-RPC message to this server is small: tool arguments and resource URIs only
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The Streamable HTTP transport of the MCP SDK, stateful: an `initialize` POST without `Mcp-Session-Id` opens a
 * session (its own server and transport); later requests name it. Sessions are bounded in number (least recently
 * used closed first) and closed after `idleMs` without a request or an open stream. An unknown or closed session is
 * 404, which tells MCP clients to initialize again. A session is bound to the principal that opened it: a request
 * naming it with another principal is refused (403); people use personal tokens here, not the page's session. DNS rebinding is the access guard's job (it runs first: loopback
 * Host and Origin without API_TOKEN, the bearer token with it), so the SDK's own host checks are not used.
 */
export function createMcpHttpHandler(options: McpHttpHandlerOptions): McpHttpHandler {
  const sessions = new Map<string, Session>();
  const now = options.now ?? Date.now;
  const maxSessions = options.maxSessions ?? 100;
  const idleMs = options.idleMs ?? 30 * 60_000;
  const closeSession = async (id: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    await session.handle.close().catch((error: unknown) => {
      options.log.warn(`Closing MCP session ${id} failed: ${toAppError(error).message}`);
    });
  };
  const sweepIdle = async () => {
    const idle = [...sessions].filter(
      ([, session]) => session.streams === 0 && now() - session.lastSeen > idleMs,
    );
    await Promise.all(idle.map(([id]) => closeSession(id)));
  };
  const sweep = setInterval(() => void sweepIdle(), Math.min(60_000, idleMs));
  sweep.unref();

  let closed = false;

  const open = async (req: IncomingMessage, res: ServerResponse, principal: Principal) => {
    const handle = options.createServer(principal);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: MAX_BODY_BYTES,
      onsessioninitialized: (id) => {
        // room for it: the least recently used session goes (only once a new one is really opened)
        if (sessions.size >= maxSessions) {
          const oldest = [...sessions].sort(([, a], [, b]) => a.lastSeen - b.lastSeen)[0];
          if (oldest) void closeSession(oldest[0]);
        }
        sessions.set(id, { transport, handle, lastSeen: now(), streams: 0, owner: principalKey(principal) });
      },
      onsessionclosed: (id) => closeSession(id),
    });
    await handle.server.connect(transport);
    await transport.handleRequest(req, res);
    // not an initialize request, or a refused one: no session was opened
    if (!transport.sessionId || !sessions.has(transport.sessionId)) await handle.close();
  };

  const handler: RequestHandler = async (req, res) => {
    if (closed) return rpcError(res, 503, "The server is shutting down: connect again in a moment.");
    const principal = principalOf(res.locals);
    if (principal.kind === "person" && principal.via === "session") {
      return rpcError(
        res,
        403,
        "MCP clients send a personal token (Authorization: Bearer pst_…), created on the page; a browser session is not used here.",
      );
    }
    const id = req.headers["mcp-session-id"];
    if (typeof id !== "string") {
      if (req.method === "POST") return open(req, res, principal);
      return rpcError(res, 400, "No Mcp-Session-Id: open a session with an initialize POST first.");
    }
    const session = sessions.get(id);
    if (!session)
      return rpcError(
        res,
        404,
        "This MCP session does not exist (closed, expired or never opened): initialize a new one.",
      );
    if (session.owner !== principalKey(principal)) {
      return rpcError(
        res,
        403,
        "This MCP session was opened by someone else: initialize a session of your own.",
      );
    }
    session.lastSeen = now();
    if (req.method === "GET") {
      session.streams += 1;
      res.once("close", () => {
        session.streams -= 1;
        session.lastSeen = now();
      });
    }
    await session.transport.handleRequest(req, res);
  };

  return {
    handler,
    close: async () => {
      closed = true;
      clearInterval(sweep);
      await Promise.all([...sessions.keys()].map(closeSession));
    },
    sessionCount: () => sessions.size,
    sweepIdle,
  };
}

/** Who a principal is, for a session's owner: the operator, the laptop, or one person (whichever token they use). */
function principalKey(principal: Principal): string {
  return principal.kind === "person" ? `person:${principal.userId}` : principal.kind;
}

function rpcError(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.end(
    JSON.stringify({ jsonrpc: "2.0", error: { code: status === 404 ? -32001 : -32000, message }, id: null }),
  );
}
