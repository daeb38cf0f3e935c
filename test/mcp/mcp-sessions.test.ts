// The /mcp endpoint's sessions: bounded in number, closed when idle, on DELETE and at shutdown; unknown ones are 404
// (which tells a client to initialize again). Real HTTP server, real database, the SDK's client.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createAccessGate } from "../../src/auth/create-access-gate.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import { type ListeningHttpServer, listenHttpServer } from "../../src/http/listen-http-server.js";
import { silentLogger } from "../../src/logger.js";
import { createMcpHttpHandler, type McpHttpHandler } from "../../src/mcp/create-mcp-http-handler.js";
import { createMcpServer } from "../../src/mcp/create-mcp-server.js";
import { serviceDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const IDLE_MS = 60_000;

describe("MCP sessions over HTTP", () => {
  let database: TestDatabase;
  let mcp: McpHttpHandler;
  let http: ListeningHttpServer;
  let clock = 1_000_000;
  const clients: Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const service = serviceDeps(database);
    mcp = createMcpHttpHandler({
      createServer: (principal) =>
        createMcpServer({
          service,
          feed: null,
          version: "9.9.9-test",
          gate: createAccessGate({ db: service.db }, principal),
        }),
      log: silentLogger,
      maxSessions: 2,
      idleMs: IDLE_MS,
      now: () => clock,
    });
    http = await listenHttpServer(
      createHttpServer({ db: database.db, log: silentLogger, version: "9.9.9-test", mcp: mcp.handler }),
      { port: 0, host: "127.0.0.1" },
    );
  });
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await mcp?.close();
    await http?.close({ graceMs: 1000 });
    await database?.drop();
  });

  async function connect(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
    const transport = new StreamableHTTPClientTransport(new URL(`${http.url}/mcp`));
    const client = new Client({ name: "sessions-test", version: "1.0.0" });
    await client.connect(transport);
    clients.push(client);
    clock += 1000;
    return { client, transport };
  }

  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error("the condition never held");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("answers 404 for an unknown session and 400 for a GET without one", async () => {
    const unknown = await fetch(`${http.url}/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Mcp-Session-Id": "no-such-session" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    const bare = await fetch(`${http.url}/mcp`, { headers: { Accept: "text/event-stream" } });

    expect([unknown.status, await unknown.json()]).toEqual([
      404,
      {
        jsonrpc: "2.0",
        id: null,
        error: { code: -32001, message: expect.stringMatching(/initialize a new one/) },
      },
    ]);
    expect(bare.status).toBe(400);
  });

  it("keeps at most maxSessions, closing the least recently used", async () => {
    const a = await connect();
    const b = await connect();
    await b.client.listTools();
    const c = await connect();

    await expect(a.client.listTools()).rejects.toThrow(/404|not exist/);
    expect((await c.client.listTools()).tools).toHaveLength(8);
    expect(mcp.sessionCount()).toBe(2);
    await b.transport.terminateSession();
    await c.transport.terminateSession();
    expect(mcp.sessionCount()).toBe(0);
  });

  it("closes a session idle past idleMs once its client went away, and every session at close", async () => {
    const gone = await connect();
    const kept = await connect();
    await gone.client.close();
    await until(() => {
      void mcp.sweepIdle();
      clock += IDLE_MS + 1;
      return mcp.sessionCount() === 1;
    });

    // the connected client holds its notification stream open: it is not idle
    expect((await kept.client.listTools()).tools).toHaveLength(8);
    await mcp.close();
    expect(mcp.sessionCount()).toBe(0);
    await expect(kept.client.listTools()).rejects.toThrow();
  });
});
