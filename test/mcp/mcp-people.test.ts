// MCP at /mcp with sign in with GitHub set up: each session acts for the personal token that opened it, driven by the
// SDK's own client over Streamable HTTP, on memory synced from the GitHub simulator. No nock in this file.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import { deriveAuthKeys } from "../../src/auth/auth-keys.js";
import { createAccessGate } from "../../src/auth/create-access-gate.js";
import { createSession } from "../../src/auth/create-session.js";
import { createUserAccess } from "../../src/auth/create-user-access.js";
import { createPersonalToken, revokePersonalToken } from "../../src/auth/personal-tokens.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import { type ListeningHttpServer, listenHttpServer } from "../../src/http/listen-http-server.js";
import { silentLogger } from "../../src/logger.js";
import { createMcpHttpHandler, type McpHttpHandler } from "../../src/mcp/create-mcp-http-handler.js";
import { createMcpServer } from "../../src/mcp/create-mcp-server.js";
import type { MemoryChange, MemoryChangeFeed } from "../../src/mcp/memory-change-feed.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import type { FakeCommit } from "../helpers/fake-github-repo.js";
import { signInPerson } from "../helpers/sign-in-person.js";
import { syncCommit } from "../helpers/sync-harness.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";
import { callError, callJson, watchUpdates } from "./mcp-client.js";
import { useSyncedSimulator } from "./synced-simulator.js";

const API_TOKEN = "operator-token-0123456789abcdef";
const MINE = `${OWNER}/${NAME}`;
const HIDDEN = "acme/hidden";
const WATCHED = `memory://${OWNER}/${NAME}/main/notes/watched.md`;
const HIDDEN_WATCHED = "memory://acme/hidden/main/notes/watched.md";

describe("MCP for a person: their token's session sees only what GitHub lets them read", () => {
  const sim = useSimulator({ files: 20, seed: 9 });
  const memory = useSyncedSimulator(sim);
  let auth: AuthDeps;
  let mcp: McpHttpHandler;
  let http: ListeningHttpServer;
  let monaId: string;
  let syncs: { first: string; second: string; hidden: string; hiddenSecond: string };
  const listeners = new Set<(change: MemoryChange) => void>();
  const feed: MemoryChangeFeed = {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop: () => listeners.clear(),
  };
  const clients: Client[] = [];

  beforeAll(async () => {
    const first = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: sim.repo.headSha,
      changes: { "notes/watched.md": "v1\n" },
    });
    const second = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: first,
      changes: { "notes/watched.md": "v2\n" },
    });
    await sim.sim.addRepository({ owner: "acme", name: "hidden", gitDir: sim.repo.gitDir, id: 5151 });
    const hiddenRepository = await ensureRepository(memory.deps, HIDDEN);
    const hidden: string[] = [];
    for (const head of [first, second]) {
      sim.sim.setBranch("acme", "hidden", "main", head);
      const { sync } = await syncCommit(memory.deps, {
        repository: hiddenRepository,
        branch: "main",
        commit: { sha: head } as FakeCommit,
      });
      hidden.push(sync.id);
    }
    syncs = {
      first: (await memory.sync(first)).id,
      second: (await memory.sync(second)).id,
      hidden: hidden[0] ?? "",
      hiddenSecond: hidden[1] ?? "",
    };

    const db = memory.database.db;
    auth = { db, now: () => new Date(), keys: deriveAuthKeys("m".repeat(40)) };
    const config = { ...SIM_OAUTH_CLIENT, apiBaseUrl: sim.address.apiUrl, publicUrl: "http://127.0.0.1:9" };
    const userAccess = createUserAccess(auth, config);
    mcp = createMcpHttpHandler({
      createServer: (principal) =>
        createMcpServer({
          service: memory.deps,
          feed,
          version: "9.9.9-test",
          gate: createAccessGate({ db, userAccess }, principal),
        }),
      log: silentLogger,
    });
    http = await listenHttpServer(
      createHttpServer({
        db,
        log: silentLogger,
        version: "9.9.9-test",
        apiToken: API_TOKEN,
        mcp: mcp.handler,
        signIn: { deps: auth, config },
      }),
      { port: 0, host: "127.0.0.1" },
    );
    sim.sim.setPermission(OWNER, NAME, "mona", "read");
    monaId = await signInPerson(sim, auth, { login: "mona", githubId: 77 });
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await mcp?.close();
    await http?.close({ graceMs: 1000 });
    await memory.database?.drop();
  });

  async function connect(
    token: string,
  ): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
    const transport = new StreamableHTTPClientTransport(new URL(`${http.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: "mcp-people-test", version: "1.0.0" });
    await client.connect(transport);
    clients.push(client);
    return { client, transport };
  }

  it("lists only the person's repositories; the operator's session lists every one", async () => {
    const { token } = await createPersonalToken(auth, monaId, { name: "agent", scope: "read" });
    const { client: mona } = await connect(token);
    const { client: operator } = await connect(API_TOKEN);

    const seen = await callJson(mona, "list_repositories", {});
    const all = await callJson(operator, "list_repositories", {});

    expect(seen.repositories.map((repo: { repository: string }) => repo.repository)).toEqual([MINE]);
    expect(all.repositories.map((repo: { repository: string }) => repo.repository)).toEqual([HIDDEN, MINE]);
  });

  it("refuses another's file, sync, search and resources exactly as if they did not exist", async () => {
    const { token } = await createPersonalToken(auth, monaId, { name: "agent2", scope: "read" });
    const { client: mona } = await connect(token);
    const { client: operator } = await connect(API_TOKEN);
    const file = (repository: string) => ({ repository, path: "notes/watched.md" });

    const hiddenFile = await callError(mona, "read_file", file(HIDDEN));
    const unknownFile = await callError(mona, "read_file", file("acme/nothing-here"));
    const operatorFile = await callJson(operator, "read_file", file(HIDDEN)).catch(() => null);
    const ownFile = await mona.callTool({ name: "read_file", arguments: file(MINE) });

    expect(hiddenFile).toBe(unknownFile);
    expect(hiddenFile).toMatch(/REPOSITORY_NOT_FOUND/);
    expect(operatorFile).not.toBeNull();
    expect(ownFile.isError).toBeFalsy();
    for (const tool of ["search", "list_files", "sync_status", "list_branches"]) {
      const refused = await callError(mona, tool, { repository: HIDDEN, query: "v1" });
      expect([tool, refused]).toEqual([tool, expect.stringMatching(/REPOSITORY_NOT_FOUND/)]);
    }
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const [from, to] of [
      [syncs.hidden, syncs.second],
      [syncs.first, syncs.hidden],
    ]) {
      const refused = await callError(mona, "compare", { fromSyncId: from, toSyncId: to });
      const absent = await callError(mona, "compare", {
        fromSyncId: from === syncs.hidden ? missing : from,
        toSyncId: to === syncs.hidden ? missing : to,
      });
      expect(refused.replace(syncs.hidden, "ID")).toBe(absent.replace(missing, "ID"));
    }
    const since = await callError(mona, "changes_since", { repository: MINE, sinceSyncId: syncs.hidden });
    expect(since).toMatch(/SYNC_NOT_FOUND/);
    expect(since).not.toContain(HIDDEN);
    const asOf = await callError(mona, "list_files", { repository: MINE, asOfSyncId: syncs.hidden });
    expect(asOf).toMatch(/SYNC_NOT_FOUND/);
    await expect(mona.readResource({ uri: "memory://acme/hidden/main/notes/watched.md" })).rejects.toThrow(
      /No such repository among those you can read/,
    );
    await expect(mona.readResource({ uri: `project-sync://syncs/${syncs.hidden}/changes` })).rejects.toThrow(
      /No sync with id/,
    );
    expect(await operator.readResource({ uri: `project-sync://syncs/${syncs.hidden}/changes` })).toBeTruthy();
  });

  it("binds a session to the principal that opened it; a revoked token and a browser session are refused", async () => {
    const { token, view } = await createPersonalToken(auth, monaId, { name: "agent3", scope: "read" });
    const { client: mona, transport } = await connect(token);
    const initialize = {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/list",
      params: {},
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${http.url}/mcp`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          "Mcp-Protocol-Version": "2025-06-18",
          "Mcp-Session-Id": transport.sessionId ?? "",
          ...headers,
        },
        body: JSON.stringify(initialize),
      });

    const asOperator = await post({ Authorization: `Bearer ${API_TOKEN}` });
    const { token: other } = await createPersonalToken(
      auth,
      (await auth.db.user.create({ data: { githubId: 78n, login: "hubot" } })).id,
      { name: "hubot", scope: "read" },
    );
    const asHubot = await post({ Authorization: `Bearer ${other}` });
    const session = await createSession(auth, monaId);
    const asBrowser = await post({
      cookie: `project-sync-session=${session.cookieValue}`,
      "x-csrf-token": session.csrfToken,
    });

    expect([asOperator.status, asHubot.status, asBrowser.status]).toEqual([403, 403, 403]);
    expect((await callJson(mona, "list_repositories", {})).repositories).toHaveLength(1);
    await revokePersonalToken(auth, monaId, view.id);
    await expect(mona.callTool({ name: "list_repositories", arguments: {} })).rejects.toThrow();
    const reopened = new Client({ name: "revoked", version: "1.0.0" });
    await expect(
      reopened.connect(
        new StreamableHTTPClientTransport(new URL(`${http.url}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      ),
    ).rejects.toThrow();
  });

  it("notifies a person's subscriptions only for repositories they can read", async () => {
    const { token } = await createPersonalToken(auth, monaId, { name: "agent4", scope: "read" });
    const { client: mona } = await connect(token);
    const { client: operator } = await connect(API_TOKEN);
    const monaUpdates = watchUpdates(mona);
    const operatorUpdates = watchUpdates(operator);
    for (const client of [mona, operator]) {
      await client.subscribeResource({ uri: HIDDEN_WATCHED });
      await client.subscribeResource({ uri: WATCHED });
    }
    const announce = (change: MemoryChange) => {
      for (const listener of [...listeners]) listener(change);
    };

    // the hidden repository's change first: had it been sent, it would come before the readable one's
    announce({
      syncId: syncs.hiddenSecond,
      previousSyncId: syncs.hidden,
      repositoryKey: HIDDEN,
      branch: "main",
    });
    announce({
      syncId: syncs.second,
      previousSyncId: syncs.first,
      repositoryKey: memory.repository.key,
      branch: "main",
    });

    expect(await monaUpdates.next()).toBe(WATCHED);
    expect(monaUpdates.received).toEqual([WATCHED]);
    expect([await operatorUpdates.next(), await operatorUpdates.next()].sort()).toEqual(
      [HIDDEN_WATCHED, WATCHED].sort(),
    );
  });
});
