import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import type { Express } from "express";
import request from "supertest";
import {
  deliveryListSchema,
  deliverySchema,
  inboxSummarySchema,
} from "../../src/api/api-response-schemas.js";
import { readDatabaseReadings } from "../../src/app/read-database-readings.js";
import { listMigrationNames } from "../../src/db/apply-migrations.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import { createReadiness } from "../../src/http/create-readiness.js";
import { silentLogger } from "../../src/logger.js";
import { createAppMetrics } from "../../src/metrics/app-metrics.js";
import { serviceDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { createApiTestServer } from "./api-test-server.js";

describe("the webhook inbox over /api/v1, /readyz and /metrics (real PostgreSQL)", () => {
  let database: TestDatabase;
  let app: Express;
  const now = new Date("2026-12-05T12:00:00.000Z");

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = createApiTestServer({ service: serviceDeps(database, { now: () => now }) }));
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.webhookDelivery.deleteMany();
    const at = (seconds: number) => new Date(now.getTime() - seconds * 1000);
    await database.db.webhookDelivery.createMany({
      data: [
        { id: "p-1", event: "push", status: "pending", payload: "{}", receivedAt: at(30), runAfter: at(30) },
        {
          id: "p-2",
          event: "push",
          status: "processing",
          payload: "{}",
          receivedAt: at(20),
          runAfter: at(-60),
          attempts: 1,
        },
        {
          id: "parked-1",
          event: "issue_comment",
          action: "created",
          status: "parked",
          payload: "{}",
          receivedAt: at(10),
          runAfter: at(10),
          attempts: 8,
          errorCode: "INTERNAL",
          error: "GitHub is down",
          processedAt: at(5),
        },
        {
          id: "done-1",
          event: "push",
          status: "processed",
          receivedAt: at(5),
          runAfter: at(5),
          processedAt: at(4),
          attempts: 1,
        },
      ],
    });
  });

  it("sums the inbox up: waiting, in progress, parked, and the oldest one's age", async () => {
    const response = await request(app).get("/api/v1/inbox");

    expect(response.status).toBe(200);
    expect(inboxSummarySchema.parse(response.body)).toEqual({
      pending: 1,
      processing: 1,
      parked: 1,
      oldestPendingSeconds: 30,
    });
  });

  it("lists deliveries newest first, by status, in pages, without payloads", async () => {
    const all = await request(app).get("/api/v1/deliveries?limit=2");
    const next = await request(app).get(`/api/v1/deliveries?limit=2&cursor=${all.body.nextCursor}`);
    const parked = await request(app).get("/api/v1/deliveries?status=parked");

    expect(deliveryListSchema.parse(all.body).deliveries.map((delivery) => delivery.id)).toEqual([
      "done-1",
      "parked-1",
    ]);
    expect(next.body).toEqual({
      deliveries: [expect.objectContaining({ id: "p-2" }), expect.objectContaining({ id: "p-1" })],
      nextCursor: null,
    });
    expect(deliveryListSchema.parse(parked.body).deliveries).toEqual([
      {
        id: "parked-1",
        event: "issue_comment",
        action: "created",
        status: "parked",
        attempts: 8,
        repositoryGithubId: null,
        installationId: null,
        receivedAt: "2026-12-05T11:59:50.000Z",
        nextAttemptAt: null,
        processedAt: "2026-12-05T11:59:55.000Z",
        error: { code: "INTERNAL", message: "GitHub is down" },
      },
    ]);
    expect(JSON.stringify(all.body)).not.toContain("payload");
  });

  it("refuses a bad status, cursor or id with 400, and an unknown delivery with 404", async () => {
    const answers = await Promise.all([
      request(app).get("/api/v1/deliveries?status=lost"),
      request(app).get("/api/v1/deliveries?cursor=nope"),
      request(app).get("/api/v1/deliveries/not%20a%20guid"),
      request(app).get("/api/v1/deliveries/unknown-guid"),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 404]);
  });

  it("retries a parked delivery now, and refuses to retry one that was processed", async () => {
    const retried = await request(app).post("/api/v1/deliveries/parked-1/retry").send({});
    const done = await request(app).post("/api/v1/deliveries/done-1/retry").send({});

    expect(retried.status).toBe(202);
    expect(deliverySchema.parse(retried.body)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: now.toISOString(),
      processedAt: null,
    });
    expect(done.status).toBe(409);
    expect(done.body.error.code).toBe("CONFLICT");
  });

  it("answers /readyz with every check, and 503 when one fails", async () => {
    const migrations = await listMigrationNames();
    let worker: "running" | "stopped" = "running";
    const server = createHttpServer({
      db: database.db,
      log: silentLogger,
      version: "t",
      readiness: createReadiness({
        db: database.db,
        migrations,
        worker: () => worker,
        inbox: () => "running",
      }),
    });
    const pending = createHttpServer({
      db: database.db,
      log: silentLogger,
      version: "t",
      readiness: createReadiness({
        db: database.db,
        migrations: [...migrations, "29991231000000_from_the_future"],
        worker: () => "web_only",
        inbox: () => "off",
      }),
    });

    const ready = await request(server).get("/readyz");
    worker = "stopped";
    const stopped = await request(server).get("/readyz");
    const behind = await request(pending).get("/readyz");

    expect([ready.status, ready.body]).toEqual([
      200,
      { status: "ready", checks: { database: "ok", migrations: "ok", worker: "running", inbox: "running" } },
    ]);
    expect([stopped.status, stopped.body.checks.worker]).toEqual([503, "stopped"]);
    expect([behind.status, behind.body.checks.migrations]).toEqual([503, "pending"]);
  });

  it("serves Prometheus metrics, with the inbox and queue read from the database, behind the API's access rule", async () => {
    const metrics = createAppMetrics({ readDatabase: () => readDatabaseReadings(database.db, now) });
    const server = createHttpServer({
      db: database.db,
      log: silentLogger,
      version: "t",
      metrics: metrics.registry,
    });
    const guarded = createHttpServer({
      db: database.db,
      log: silentLogger,
      version: "t",
      metrics: metrics.registry,
      apiToken: "a-long-enough-api-token",
    });

    const open = await request(server).get("/metrics");
    const refused = await request(guarded).get("/metrics");
    const allowed = await request(guarded)
      .get("/metrics")
      .set("authorization", "Bearer a-long-enough-api-token");

    expect(open.status).toBe(200);
    expect(open.headers["content-type"]).toContain("text/plain");
    expect(open.text).toContain('project_sync_inbox_deliveries{status="pending"} 1');
    expect(open.text).toContain('project_sync_inbox_deliveries{status="parked"} 1');
    expect(open.text).toContain("project_sync_inbox_oldest_pending_seconds 30");
    expect(open.text).toContain('project_sync_queue_syncs{status="queued"} 0');
    expect(open.text).toContain("project_sync_process_cpu_seconds_total");
    expect(refused.status).toBe(401);
    expect(allowed.status).toBe(200);
  });
});
