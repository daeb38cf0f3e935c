// The MCP server at /mcp of the real app (startApp), driven by the SDK's own client over Streamable HTTP, on memory
// synced from the GitHub simulator into real PostgreSQL. No nock in this file: it would break real sockets.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { type RunningApp, startApp } from "../../src/app/start-app.js";
import { loadEnv } from "../../src/config/env.js";
import { silentLogger } from "../../src/logger.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";
import { callError, callJson, TOOL_NAMES, watchUpdates } from "./mcp-client.js";
import { useSyncedSimulator } from "./synced-simulator.js";

const TOKEN = "an-mcp-token-of-sixteen-or-more";
const REPO = `${OWNER}/${NAME}`;
// 3,000 lines of 40 characters: 120,000 characters, twice what one answer holds
const BIG = Array.from(
  { length: 3000 },
  (_, index) => `line ${String(index + 1).padStart(5, "0")} ${"x".repeat(28)}\n`,
).join("");
const WATCHED = `memory://${OWNER}/${NAME}/main/notes/watched.md`;
const STEADY = `memory://${OWNER}/${NAME}/main/notes/steady.md`;

describe("MCP over Streamable HTTP at the app's /mcp", () => {
  const sim = useSimulator({ files: 120, seed: 5 });
  const memory = useSyncedSimulator(sim);
  let app: RunningApp;
  let client: Client;
  let first: { id: string; head: string };

  beforeAll(async () => {
    const head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: sim.repo.headSha,
      changes: { "docs/big.txt": BIG, "notes/watched.md": "v1\n", "notes/steady.md": "steady text\n" },
    });
    first = await memory.sync(head);
    app = await startApp({
      env: loadEnv({
        DATABASE_URL: memory.database.url,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "fatal",
        NODE_ENV: "production",
        GITHUB_TOKEN: "ghs_test",
        ...sim.address.ghe,
        SYNC_CONCURRENCY: "0",
        API_TOKEN: TOKEN,
      }),
      log: silentLogger,
    });
    client = new Client({ name: "mcp-http-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await app?.stop();
    await memory.database?.drop();
  });

  it("refuses a client without the API token (401), as /api/v1 does", async () => {
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${app.url}/mcp`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify(initialize),
      });

    const missing = await post({});
    const wrong = await post({ Authorization: "Bearer not-the-token-at-all" });

    expect([missing.status, missing.headers.get("www-authenticate")]).toEqual([
      401,
      expect.stringMatching(/^Bearer/),
    ]);
    expect(wrong.status).toBe(401);
  });

  it("lists the tools, each with an input schema and a description", async () => {
    const { tools } = await client.listTools();

    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(80);
      expect(tool.inputSchema.type).toBe("object");
    }
  });

  it("lists repositories and GitHub's branches with memory's heads", async () => {
    const repos = await callJson(client, "list_repositories", {});
    const branches = await callJson(client, "list_branches", { repository: REPO });

    expect(repos).toEqual({
      repositories: [
        expect.objectContaining({
          repository: REPO,
          defaultBranch: "main",
          lastSync: expect.objectContaining({ id: first.id }),
        }),
      ],
      nextCursor: null,
    });
    expect(branches.branches).toEqual([
      expect.objectContaining({
        name: "main",
        githubHeadSha: first.head,
        syncedHeadSha: first.head,
        inSync: true,
      }),
    ]);
  });

  it("pages files by path with a cursor", async () => {
    const page1 = await callJson(client, "list_files", { repository: REPO, limit: 5 });
    const page2 = await callJson(client, "list_files", {
      repository: REPO,
      limit: 5,
      cursor: page1.nextCursor,
    });
    const notes = await callJson(client, "list_files", { repository: REPO, path: "notes/" });

    expect(page1.files).toHaveLength(5);
    expect(page1.nextCursor).toBe(page1.files[4].path);
    expect(page2.files[0].path > page1.nextCursor).toBe(true);
    expect(notes).toEqual(
      expect.objectContaining({
        files: [
          { path: "notes/steady.md", size: 12 },
          { path: "notes/watched.md", size: 3 },
        ],
        nextCursor: null,
      }),
    );
  });

  it("reads a file whole, by line range, and answers one over the cap with a resource link", async () => {
    const small = (await client.callTool({
      name: "read_file",
      arguments: { repository: REPO, path: "notes/steady.md" },
    })) as CallToolResult;
    const range = (await client.callTool({
      name: "read_file",
      arguments: { repository: REPO, path: "docs/big.txt", startLine: 11, endLine: 13 },
    })) as CallToolResult;
    const whole = (await client.callTool({
      name: "read_file",
      arguments: { repository: REPO, path: "docs/big.txt" },
    })) as CallToolResult;
    const long = (await client.callTool({
      name: "read_file",
      arguments: { repository: REPO, path: "docs/big.txt", startLine: 1, endLine: 3000 },
    })) as CallToolResult;
    const past = (await client.callTool({
      name: "read_file",
      arguments: { repository: REPO, path: "docs/big.txt", asOfSyncId: first.id },
    })) as CallToolResult;

    expect(small.content[1]).toEqual({ type: "text", text: "steady text\n" });
    expect(JSON.parse((range.content[0] as { text: string }).text)).toEqual(
      expect.objectContaining({ totalLines: 3000, startLine: 11, endLine: 13 }),
    );
    expect((range.content[1] as { text: string }).text).toBe(`${BIG.split("\n").slice(10, 13).join("\n")}\n`);
    expect(JSON.parse((whole.content[0] as { text: string }).text)).toEqual(
      expect.objectContaining({
        totalLines: 3000,
        overCap: true,
        advice: expect.stringMatching(/startLine and endLine/),
      }),
    );
    expect(whole.content[1]).toEqual(
      expect.objectContaining({
        type: "resource_link",
        uri: `memory://${OWNER}/${NAME}/main/docs/big.txt`,
        name: "docs/big.txt",
      }),
    );
    const longHeader = JSON.parse((long.content[0] as { text: string }).text);
    expect(longHeader).toEqual(
      expect.objectContaining({ truncated: true, startLine: 1, nextStartLine: longHeader.endLine + 1 }),
    );
    expect(JSON.stringify(long).length).toBeLessThan(62_000);
    expect(past.content[1]).toEqual(
      expect.objectContaining({
        type: "resource_link",
        uri: `memory://${OWNER}/${NAME}/main/docs/big.txt`,
        description: expect.stringMatching(/current memory/),
      }),
    );
  });

  it("searches memory and pages the results", async () => {
    const found = await callJson(client, "search", { repository: REPO, query: "steady text" });
    const page = await callJson(client, "search", { repository: REPO, query: "line 0", limit: 1 });

    expect(found.results).toEqual([
      expect.objectContaining({
        path: "notes/steady.md",
        lineCount: 1,
        matches: [expect.objectContaining({ line: 1, text: "steady text" })],
      }),
    ]);
    expect(page.results).toHaveLength(1);
    expect(typeof page.nextCursor).toBe("string");
  });

  it("reads the memory resource and a sync's changes", async () => {
    const templates = await client.listResourceTemplates();
    const file = await client.readResource({ uri: STEADY });
    const changes = await client.readResource({ uri: `project-sync://syncs/${first.id}/changes` });

    expect(templates.resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([
      "memory://{owner}/{repo}/{branch}/{+path}",
      "project-sync://syncs/{syncId}/changes",
    ]);
    expect(file.contents).toEqual([{ uri: STEADY, mimeType: "text/plain", text: "steady text\n" }]);
    const listed = JSON.parse((changes.contents[0] as { text: string }).text);
    expect(listed.to.syncId).toBe(first.id);
    expect(listed.changes).toEqual(expect.arrayContaining([{ status: "added", path: "notes/watched.md" }]));
    await expect(client.readResource({ uri: `memory://${OWNER}/${NAME}/main/docs/big.txt` })).rejects.toThrow(
      /read_file/,
    );
  });

  it("answers errors an agent can act on", async () => {
    const branch = await callError(client, "list_files", { repository: REPO, branch: "mian" });
    const repo = await callError(client, "sync_status", { repository: "octo/nothing" });
    const sync = await callError(client, "compare", {
      fromSyncId: first.id,
      toSyncId: "0b6c2f4e-7f1d-4c3a-9a53-2d8d2b0f1e77",
    });
    const input = await callError(client, "list_files", { repository: "not a repository" });

    await expect(client.subscribeResource({ uri: "memory://octo/big" })).rejects.toThrow(/not a memory URI/);
    expect(branch).toMatch(/^BRANCH_NOT_FOUND: .*Did you mean "main"\?/);
    expect(repo).toMatch(/^REPOSITORY_NOT_FOUND: /);
    expect(sync).toMatch(/^SYNC_NOT_FOUND: No sync with id 0b6c2f4e/);
    expect(input).toMatch(/repository/);
  });

  it("tells stale memory with the command to resync, notifies subscribers of a sync that changes their file, and lists the changes since", async () => {
    const updates = watchUpdates(client);
    await client.subscribeResource({ uri: STEADY });
    await client.subscribeResource({ uri: WATCHED });
    const head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: first.head,
      changes: { "notes/watched.md": "v2\n", "docs/new.md": "# New\n" },
    });
    sim.sim.setBranch(OWNER, NAME, "main", head);

    const stale = await callJson(client, "sync_status", { repository: REPO });
    const second = await memory.sync(head);
    const updated = await updates.next();
    const current = await callJson(client, "sync_status", { repository: REPO, branch: "main" });
    const since = await callJson(client, "changes_since", {
      repository: REPO,
      sinceSyncId: first.id,
      diff: true,
    });
    const compared = await callJson(client, "compare", { fromSyncId: first.id, toSyncId: second.id });
    const none = await callJson(client, "changes_since", { repository: REPO, sinceSyncId: second.id });

    expect(stale).toEqual(
      expect.objectContaining({
        stale: true,
        github: { asked: true, headSha: head },
        synced: expect.objectContaining({ syncId: first.id, headSha: first.head }),
        queued: [],
        advice: expect.stringContaining(`project-sync sync ${REPO} --branch main`),
      }),
    );
    expect(updated).toBe(WATCHED);
    expect(updates.received).toEqual([WATCHED]);
    expect(current).toEqual(
      expect.objectContaining({ stale: false, synced: expect.objectContaining({ syncId: second.id }) }),
    );
    expect(since.changes).toEqual([
      expect.objectContaining({
        status: "added",
        path: "docs/new.md",
        diff: expect.stringContaining("+# New"),
      }),
      expect.objectContaining({
        status: "modified",
        path: "notes/watched.md",
        diff: expect.stringContaining("-v1\n+v2"),
      }),
    ]);
    expect(since).toEqual(
      expect.objectContaining({ upToDate: false, to: expect.objectContaining({ syncId: second.id }) }),
    );
    expect(compared.changes.map((change: { path: string }) => change.path)).toEqual([
      "docs/new.md",
      "notes/watched.md",
    ]);
    expect(none).toEqual(expect.objectContaining({ upToDate: true, changes: [], nextCursor: null }));
  }, 60_000);

  it("says where a branch's queued sync stands in the queue every worker takes from", async () => {
    const queued = (branch: string, createdAt: Date) =>
      memory.database.db.projectSync.create({
        data: { repositoryId: memory.repository.id, branch, trigger: "manual", status: "queued", createdAt },
      });
    await queued("release", new Date(Date.now() - 60_000));
    const dev = await queued("dev", new Date());

    const status = await callJson(client, "sync_status", { repository: REPO, branch: "dev" });

    expect(status).toEqual(
      expect.objectContaining({
        synced: null,
        queued: [expect.objectContaining({ syncId: dev.id, position: 2 })],
        advice: "A sync of dev is queued (position 2); memory moves when it succeeds.",
      }),
    );
  });
});
