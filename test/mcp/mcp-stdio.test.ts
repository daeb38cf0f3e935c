// `project-sync mcp` spawned as an agent's host spawns it, driven by the SDK's own client over stdio, on memory synced
// from the GitHub simulator by this process into the same PostgreSQL. The child has no GitHub credentials.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";
import { callError, callJson, TOOL_NAMES, watchUpdates } from "./mcp-client.js";
import { useSyncedSimulator } from "./synced-simulator.js";

const REPO = `${OWNER}/${NAME}`;
const WATCHED = `memory://${OWNER}/${NAME}/feature%2Fx/src/watched.ts`;

describe("project-sync mcp over stdio", () => {
  const sim = useSimulator({ files: 60, seed: 11 });
  const memory = useSyncedSimulator(sim);
  let client: Client;
  let transport: StdioClientTransport;
  let stderr = "";
  let first: { id: string; head: string };
  let childEnv: Record<string, string>;

  beforeAll(async () => {
    await memory.sync(sim.repo.headSha, "main");
    const head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: sim.repo.headSha,
      changes: { "src/watched.ts": "export const version = 1;\n" },
    });
    first = await memory.sync(head, "feature/x");
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !/^(GITHUB_TOKEN|APP_ID|PRIVATE_KEY|PRIVATE_KEY_PATH|GHE_HOST)$/.test(key))
        env[key] = value;
    }
    childEnv = { ...env, NODE_OPTIONS: "", DATABASE_URL: memory.database.url, LOG_LEVEL: "info" };
    transport = new StdioClientTransport({
      command: process.execPath,
      args: ["bin/project-sync.js", "mcp"],
      cwd: process.cwd(),
      env: childEnv,
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    client = new Client({ name: "mcp-stdio-test", version: "1.0.0" });
    await client.connect(transport);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await memory.database?.drop();
  });

  it("serves the tools on stdout and logs only on stderr", async () => {
    const { tools } = await client.listTools();
    const repos = await callJson(client, "list_repositories", {});

    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
    expect(repos.repositories).toEqual([expect.objectContaining({ repository: REPO })]);
    expect(stderr).toMatch(/MCP server on stdio/);
  });

  it("answers memory's view without GitHub credentials, and says GitHub was not asked", async () => {
    const status = await callJson(client, "sync_status", { repository: REPO, branch: "feature/x" });
    const branches = await callJson(client, "list_branches", { repository: REPO });

    expect(status).toEqual(
      expect.objectContaining({
        github: { asked: false, reason: expect.stringMatching(/no GitHub credentials/) },
        stale: null,
        synced: expect.objectContaining({ syncId: first.id, headSha: first.head }),
        advice: expect.stringMatching(/^GitHub was not asked/),
      }),
    );
    expect(branches.branches.map((branch: { name: string }) => branch.name)).toEqual(["feature/x", "main"]);
    expect(branches.github).toMatch(/^not asked or failed \(MISSING_CREDENTIALS/);
  });

  it("reads files through the tool and the resource of a branch with a slash", async () => {
    const read = (await client.callTool({
      name: "read_file",
      arguments: { repository: REPO, branch: "feature/x", path: "src/watched.ts" },
    })) as CallToolResult;
    const resource = await client.readResource({ uri: WATCHED });
    const unknown = await callError(client, "read_file", {
      repository: REPO,
      branch: "feature/y",
      path: "a",
    });
    const otherBranch = await callError(client, "changes_since", { repository: REPO, sinceSyncId: first.id });

    expect(read.content[1]).toEqual({ type: "text", text: "export const version = 1;\n" });
    expect(resource.contents).toEqual([
      { uri: WATCHED, mimeType: "text/plain", text: "export const version = 1;\n" },
    ]);
    expect(unknown).toMatch(/Did you mean "feature\/x"\?/);
    expect(otherBranch).toMatch(
      /^BAD_INPUT: Sync .* is a sync of octo\/big feature\/x, not of octo\/big main; compare/,
    );
  });

  it("notifies a subscriber when a sync in another process changes the file", async () => {
    const updates = watchUpdates(client);
    await client.subscribeResource({ uri: WATCHED });
    const head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: first.head,
      changes: { "src/watched.ts": "export const version = 2;\n" },
    });

    const second = await memory.sync(head, "feature/x");
    const updated = await updates.next();
    const resource = await client.readResource({ uri: WATCHED });
    const since = await callJson(client, "changes_since", {
      repository: REPO,
      branch: "feature/x",
      sinceSyncId: first.id,
    });

    expect(updated).toBe(WATCHED);
    expect(resource.contents).toEqual([expect.objectContaining({ text: "export const version = 2;\n" })]);
    expect(since).toEqual(
      expect.objectContaining({
        to: expect.objectContaining({ syncId: second.id }),
        changes: [{ status: "modified", path: "src/watched.ts" }],
      }),
    );
  }, 60_000);

  it("exits 0 when its stdin ends, having written nothing on stdout", async () => {
    const child = spawn(process.execPath, ["bin/project-sync.js", "mcp"], {
      env: childEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      errors += chunk.toString("utf8");
      // the server is up once it says so: then end its input
      if (errors.includes("MCP server on stdio")) child.stdin.end();
    });

    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));

    expect([code, stdout]).toEqual([0, ""]);
  }, 60_000);
});
