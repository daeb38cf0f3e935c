import { generateKeyPairSync } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { createGitHubAppMiddleware } from "../../src/app/create-github-app-middleware.js";
import { webhookEvents } from "../../src/app/webhook-events.js";
import { loadEnv } from "../../src/config/env.js";
import { createTaskTracker } from "../../src/handlers/create-task-tracker.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import { type ListeningHttpServer, listenHttpServer } from "../../src/http/listen-http-server.js";
import { createInboxProcessor, type InboxProcessor } from "../../src/inbox/create-inbox-processor.js";
import { createWebhookIntake } from "../../src/inbox/create-webhook-intake.js";
import { createInboxStore, type InboxStore } from "../../src/inbox/inbox-store.js";
import { silentLogger } from "../../src/logger.js";
import { createAppMetrics } from "../../src/metrics/app-metrics.js";
// nock-free on purpose: this file talks to a real server over real sockets
import { createInstalledRepository, webhookFixture } from "../app/use-project-sync-app.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const SECRET = "webhook-secret-for-tests";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs1",
  format: "pem",
}) as string;
const MAX_BYTES = 64 * 1024;

describe("signed webhook deliveries to the real HTTP server (the inbox)", () => {
  let database: TestDatabase;
  let http: ListeningHttpServer;
  let store: InboxStore;
  let processor: InboxProcessor;
  const calls: string[] = [];
  const tasks = createTaskTracker(silentLogger);
  const metrics = createAppMetrics({ defaultMetrics: false });

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = loadEnv({ APP_ID: "777", PRIVATE_KEY, WEBHOOK_SECRET: SECRET, LOG_LEVEL: "fatal" });
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
        reporter: {
          enqueued: (id) => calls.push(`enqueued:${id}`),
          settled: (id) => calls.push(`settled:${id}`),
        },
        worker: { wake: () => calls.push("wake") },
        tasks,
      },
    });
    expect(github.mode).toBe("app");
    const probot = github.probot;
    if (!probot) throw new Error("no Probot");
    store = createInboxStore({ databaseUrl: database.url });
    processor = createInboxProcessor({
      db: database.db,
      log: silentLogger,
      handle: (delivery) => probot.receive(delivery as Parameters<typeof probot.receive>[0]),
    });
    const intake = createWebhookIntake({
      path: env.WEBHOOK_PATH,
      secret: SECRET,
      store,
      events: webhookEvents,
      log: silentLogger,
      metrics,
      onStored: () => calls.push("stored"),
      maxBytes: MAX_BYTES,
    });
    http = await listenHttpServer(
      createHttpServer({ db: database.db, log: silentLogger, version: "test", middleware: [intake] }),
      { port: 0, host: "127.0.0.1" },
    );
  });
  afterAll(async () => {
    await processor.stop();
    await tasks.drain();
    await http.close();
    await store.close();
    await database.drop();
  });
  beforeEach(async () => {
    await processor.stop();
    await database.db.repository.deleteMany();
    await database.db.webhookDelivery.deleteMany();
    calls.length = 0;
  });

  const deliver = async (
    body: string,
    options: { id: string; signature?: string; event?: string; path?: string; type?: string },
  ) =>
    fetch(`${http.url}${options.path ?? "/api/github/webhooks"}`, {
      method: "POST",
      headers: {
        "content-type": options.type ?? "application/json",
        "x-github-event": options.event ?? "push",
        "x-github-delivery": options.id,
        "x-hub-signature-256": options.signature ?? (await sign(SECRET, body)),
      },
      body,
    });

  it("stores a correctly signed push and answers 202 before anything else happens; the processor then queues it", async () => {
    await createInstalledRepository(database);
    const body = JSON.stringify(webhookFixture("push.json"));

    const response = await deliver(body, { id: "signed-1" });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "accepted", id: "signed-1" });
    expect(calls).toEqual(["stored"]);
    expect(await database.db.projectSync.count()).toBe(0);
    expect(await database.db.webhookDelivery.findUniqueOrThrow({ where: { id: "signed-1" } })).toMatchObject({
      event: "push",
      status: "pending",
      payload: body,
      repositoryGithubId: 1296269n,
      installationId: expect.any(BigInt),
    });

    processor.start();
    await processor.runUntilIdle();

    const syncs = await database.db.projectSync.findMany();
    expect(syncs).toEqual([
      expect.objectContaining({ status: "queued", deliveryId: "signed-1", trigger: "push" }),
    ]);
    expect(calls).toEqual(["stored", `enqueued:${syncs[0]?.id}`, "wake"]);
    expect(await database.db.webhookDelivery.findUniqueOrThrow({ where: { id: "signed-1" } })).toMatchObject({
      status: "processed",
      payload: null,
      attempts: 1,
      processedAt: expect.any(Date),
    });
  });

  it("answers a redelivery of a known delivery 200 and stores nothing more", async () => {
    await createInstalledRepository(database);
    const body = JSON.stringify(webhookFixture("push.json"));

    const first = await deliver(body, { id: "again-1" });
    const second = await deliver(body, { id: "again-1" });

    expect([first.status, second.status]).toEqual([202, 200]);
    expect(await second.json()).toEqual({ status: "duplicate", id: "again-1" });
    expect(await database.db.webhookDelivery.count()).toBe(1);
    expect(calls).toEqual(["stored"]);
  });

  it("rejects a wrong or missing signature with 401 and writes nothing", async () => {
    const body = JSON.stringify(webhookFixture("push.json"));

    const forged = await deliver(body, { id: "forged-1", signature: await sign("not-the-secret", body) });
    const unsigned = await deliver(body, { id: "forged-2", signature: "" });

    expect([forged.status, unsigned.status]).toEqual([401, 401]);
    expect(await forged.json()).toEqual({
      error: { code: "UNAUTHORIZED", message: expect.stringContaining("WEBHOOK_SECRET") },
    });
    expect(await database.db.webhookDelivery.count()).toBe(0);
  });

  it("refuses a body over the limit with 413 by its Content-Length, before reading it", async () => {
    const { status, body } = await rawPost({
      headers: { "content-length": String(MAX_BYTES + 1) },
      // nothing is sent: an answer proves the body was never waited for
      chunks: [],
      end: false,
    });

    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({
      error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining("25 MB") },
    });
    expect(await database.db.webhookDelivery.count()).toBe(0);
  });

  it("refuses a chunked body that grows over the limit with 413 while it streams", async () => {
    const chunk = Buffer.alloc(16 * 1024, "a");

    const { status } = await rawPost({
      headers: { "transfer-encoding": "chunked" },
      chunks: Array.from({ length: 8 }, () => chunk),
      end: true,
    });

    expect(status).toBe(413);
    expect(await database.db.webhookDelivery.count()).toBe(0);
  });

  it("answers a signed but malformed payload 400 (never 500), and a payload its handler cannot read 400 too", async () => {
    const notJson = "{ this is not json";
    const wrongShape = JSON.stringify({ ...webhookFixture("push.json"), after: 42 });

    const broken = await deliver(notJson, { id: "malformed-1" });
    const unreadable = await deliver(wrongShape, { id: "malformed-2" });

    expect([broken.status, unreadable.status]).toEqual([400, 400]);
    expect(await broken.json()).toEqual({
      error: { code: "BAD_INPUT", message: "The push payload is malformed: the body is not JSON." },
    });
    expect(await unreadable.json()).toEqual({
      error: { code: "BAD_INPUT", message: expect.stringMatching(/^The push payload is malformed: after: /) },
    });
    expect(await database.db.webhookDelivery.count()).toBe(0);
  });

  it("answers events the app does not act on (ping, its own check runs) 200 without storing them", async () => {
    const ping = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const created = JSON.stringify({ action: "created", check_run: { id: 1 } });

    const answers = [
      await deliver(ping, { id: "ping-1", event: "ping" }),
      await deliver(created, { id: "check-1", event: "check_run" }),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await answers[0]?.json()).toEqual({ status: "ignored", id: "ping-1" });
    expect(await database.db.webhookDelivery.count()).toBe(0);
  });

  it("refuses anything but JSON with 415, and a request without GitHub's headers with 400", async () => {
    const body = JSON.stringify(webhookFixture("push.json"));

    const form = await deliver(`payload=${encodeURIComponent(body)}`, {
      id: "form-1",
      type: "application/x-www-form-urlencoded",
    });
    const headless = await fetch(`${http.url}/api/github/webhooks`, { method: "POST", body: "{}" });

    expect([form.status, headless.status]).toEqual([415, 400]);
    expect(await database.db.webhookDelivery.count()).toBe(0);
  });

  it("takes a delivery posted to / (the webhook URL Probot's setup flow registers without a proxy)", async () => {
    const body = JSON.stringify(webhookFixture("push.json"));

    const response = await deliver(body, { id: "root-1", path: "/" });
    const plainPost = await fetch(`${http.url}/`, { method: "POST", body: "{}" });

    expect(response.status).toBe(202);
    expect(await database.db.webhookDelivery.count({ where: { id: "root-1" } })).toBe(1);
    expect(plainPost.status).toBe(404);
  });

  it("counts deliveries by event and outcome, and their acknowledgement time", async () => {
    const body = JSON.stringify(webhookFixture("push.json"));
    await deliver(body, { id: "counted-1" });
    await deliver(body, { id: "counted-1" });

    const text = await metrics.registry.metrics();

    expect(text).toMatch(/project_sync_webhook_deliveries_total\{event="push",outcome="accepted"\} \d+/);
    expect(text).toMatch(/project_sync_webhook_deliveries_total\{event="push",outcome="duplicate"\} \d+/);
    expect(text).toMatch(/project_sync_webhook_ack_seconds_count\{outcome="accepted"\} \d+/);
  });

  it("keeps /healthz and /readyz answering next to the webhook endpoint", async () => {
    const health = await fetch(`${http.url}/healthz`);
    const ready = await fetch(`${http.url}/readyz`);

    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok", version: "test" });
    expect(ready.status).toBe(200);
  });

  /** A POST written by hand: a Content-Length the body does not have, or a chunked body, as a client might send. */
  function rawPost(options: {
    headers: Record<string, string>;
    chunks: Buffer[];
    end: boolean;
  }): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(`${http.url}/api/github/webhooks`);
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "push",
            "x-github-delivery": "big-1",
            "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
            ...options.headers,
          },
        },
        (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => {
            body += chunk.toString("utf8");
          });
          response.on("end", () => {
            resolve({ status: response.statusCode ?? 0, body });
            request.destroy();
          });
        },
      );
      // the server cuts the connection after answering: a write after that is expected to fail
      request.on("error", (error) => {
        if (!(error as NodeJS.ErrnoException).code?.startsWith("E")) reject(error);
      });
      for (const chunk of options.chunks) request.write(chunk);
      if (options.end) request.end();
      else request.flushHeaders();
    });
  }
});
