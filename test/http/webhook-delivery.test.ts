import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { createGitHubAppMiddleware } from "../../src/app/create-github-app-middleware.js";
import { createTaskTracker } from "../../src/app/create-task-tracker.js";
import { loadEnv } from "../../src/config/env.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import { type ListeningHttpServer, listenHttpServer } from "../../src/http/listen-http-server.js";
import { silentLogger } from "../../src/logger.js";
// nock-free on purpose: this file talks to a real server over real sockets
import { createInstalledRepository, webhookFixture } from "../app/use-project-sync-app.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const SECRET = "webhook-secret-for-tests";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs1",
  format: "pem",
}) as string;

describe("signed webhook deliveries to the real HTTP server", () => {
  let database: TestDatabase;
  let http: ListeningHttpServer;
  const calls: string[] = [];
  let releaseReports: () => void = () => {};
  const tasks = createTaskTracker(silentLogger);

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = loadEnv({ APP_ID: "777", PRIVATE_KEY, WEBHOOK_SECRET: SECRET, LOG_LEVEL: "fatal" });
    const reportsGate = new Promise<void>((resolve) => {
      releaseReports = resolve;
    });
    const github = await createGitHubAppMiddleware({
      env,
      log: silentLogger,
      deps: {
        service: {
          db: database.db,
          githubFor: async () => null,
          now: () => new Date(),
          log: silentLogger,
          maxFileSizeBytes: 1024 * 1024,
        },
        // a report that takes its time, like a check-run request to a slow GitHub
        reporter: {
          enqueued: (id) => tasks.run("report", () => reportsGate.then(() => calls.push(`enqueued:${id}`))),
          settled: (id) => calls.push(`settled:${id}`),
        },
        worker: { wake: () => calls.push("wake") },
        tasks,
      },
    });
    expect(github.mode).toBe("app");
    http = await listenHttpServer(
      createHttpServer({
        db: database.db,
        log: silentLogger,
        version: "test",
        middleware: github.middleware,
      }),
      { port: 0, host: "127.0.0.1" },
    );
  });
  afterAll(async () => {
    releaseReports();
    await tasks.drain();
    await http.close();
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.repository.deleteMany();
    calls.length = 0;
  });

  const deliver = async (body: string, signature: string, id: string) =>
    fetch(`${http.url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": id,
        "x-hub-signature-256": signature,
      },
      body,
    });

  it("answers a correctly signed push with 200 before the sync is reported, having queued it", async () => {
    await createInstalledRepository(database);
    const body = JSON.stringify(webhookFixture("push.json"));

    const response = await deliver(body, await sign(SECRET, body), "signed-1");

    expect(response.status).toBe(200);
    expect(calls).toEqual(["wake"]);
    const syncs = await database.db.projectSync.findMany();
    expect(syncs).toEqual([
      expect.objectContaining({ status: "queued", deliveryId: "signed-1", trigger: "push" }),
    ]);
    releaseReports();
    await tasks.drain();
    expect(calls).toEqual(["wake", `enqueued:${syncs[0]?.id}`]);
  });

  it("rejects a wrong signature with a 4xx and writes nothing", async () => {
    await createInstalledRepository(database);
    const body = JSON.stringify(webhookFixture("push.json"));

    const response = await deliver(body, await sign("not-the-secret", body), "forged-1");

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await database.db.projectSync.count()).toBe(0);
    expect(calls).toEqual([]);
  });

  it("takes a delivery posted to / (the webhook URL Probot's setup flow registers without a proxy)", async () => {
    await createInstalledRepository(database);
    const body = JSON.stringify(webhookFixture("push.json"));

    const response = await fetch(`${http.url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "root-1",
        "x-hub-signature-256": await sign(SECRET, body),
      },
      body,
    });
    const plainPost = await fetch(`${http.url}/`, { method: "POST", body: "{}" });

    expect(response.status).toBe(200);
    expect(await database.db.projectSync.count({ where: { deliveryId: "root-1" } })).toBe(1);
    expect(plainPost.status).toBe(404);
  });

  it("keeps /healthz answering next to the webhook endpoint", async () => {
    const response = await fetch(`${http.url}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok", version: "test" });
  });
});
