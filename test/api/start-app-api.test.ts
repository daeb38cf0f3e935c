// The whole app as main.ts starts it, reached over real sockets with fetch: no nock in this file.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type RunningApp, startApp } from "../../src/app/start-app.js";
import { loadEnv } from "../../src/config/env.js";
import { silentLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const TOKEN = "a-token-of-at-least-sixteen-characters";
const HEAD = "c".repeat(40);

describe("startApp serves the page, the REST API and SSE", () => {
  let database: TestDatabase;
  let webOnly: RunningApp;
  let sourceId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // worker-only GitHub mode (production, a token the test never uses): no setup flow, no webhooks
    webOnly = await startApp({
      env: environment({ SYNC_CONCURRENCY: "0", API_TOKEN: TOKEN }),
      log: silentLogger,
    });
    const repository = await database.db.repository.create({
      data: { key: "octo/web", owner: "octo", name: "web", defaultBranch: "main" },
    });
    const source = await database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "main",
        trigger: "manual",
        status: "succeeded",
        headSha: HEAD,
        generation: 1,
        finishedAt: new Date(),
      },
    });
    sourceId = source.id;
  });
  afterAll(async () => {
    await webOnly?.stop();
    await database.drop();
  });

  function environment(variables: Record<string, string>) {
    return loadEnv({
      DATABASE_URL: database.url,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "fatal",
      NODE_ENV: "production",
      GITHUB_TOKEN: "ghp_not_a_real_token",
      ...variables,
    });
  }
  const api = (app: RunningApp, path: string, init: RequestInit = {}) =>
    fetch(`${app.url}/api/v1${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", ...init.headers },
    });

  it("serves the page without the token and the API only with it", async () => {
    const page = await fetch(`${webOnly.url}/`);
    const refused = await fetch(`${webOnly.url}/api/v1/repos`);
    const repos = await api(webOnly, "/repos");
    const health = await fetch(`${webOnly.url}/healthz`);

    expect([page.status, page.headers.get("content-type")]).toEqual([
      200,
      expect.stringMatching(/^text\/html/),
    ]);
    expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'self'/);
    expect([refused.status, refused.headers.get("www-authenticate")]).toEqual([
      401,
      expect.stringMatching(/^Bearer/),
    ]);
    expect(await repos.json()).toEqual({
      repos: [expect.objectContaining({ fullName: "octo/web" })],
      nextCursor: null,
    });
    expect(health.status).toBe(200);
  });

  it("with SYNC_CONCURRENCY=0 queues a restore and runs nothing; a worker process runs it; SSE follows it to the end", async () => {
    const queued = await api(webOnly, `/syncs/${sourceId}/restore`, { method: "POST" });
    const restore = (await queued.json()) as { id: string; status: string };
    // a woken worker would claim it within milliseconds; a web-only process never does
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stillQueued = await (await api(webOnly, `/syncs/${restore.id}`)).json();

    const worker = await startApp({ env: environment({ SYNC_CONCURRENCY: "1" }), log: silentLogger });
    try {
      const stream = await api(webOnly, `/events/project-sync/${restore.id}`, {
        headers: { Accept: "text/event-stream" },
      });
      const events = await stream.text();
      const done = await (await api(webOnly, `/syncs/${restore.id}`)).json();

      expect([queued.status, restore.status]).toEqual([202, "queued"]);
      expect(stillQueued).toMatchObject({ status: "queued" });
      expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(events).toContain('"status":"succeeded"');
      expect(done).toMatchObject({ status: "succeeded", trigger: "restore", restoredFromSyncId: sourceId });
    } finally {
      await worker.stop();
    }
  });
});
