import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { RequestHandler } from "express";
import request from "supertest";
import { createApiRouter } from "../../src/api/create-api-router.js";
import { createPrismaClient } from "../../src/db/create-prisma-client.js";
import { findFreePort } from "../../src/db/start-embedded-postgres.js";
import { AppError } from "../../src/errors.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import type { Logger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

function createRecordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return {
    lines,
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
}

describe("createHttpServer", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("answers /healthz with ok when the database answers", async () => {
    const app = createHttpServer({ db: database.db, log: createRecordingLogger(), version: "1.2.3" });

    const response = await request(app).get("/healthz");

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.body).toEqual({ status: "ok", database: "ok", version: "1.2.3" });
  });

  it("answers /healthz with 503 degraded when the database is unreachable", async () => {
    const port = await findFreePort();
    const db = createPrismaClient(`postgresql://nobody:secret@127.0.0.1:${port}/nowhere`, { poolSize: 1 });
    const log = createRecordingLogger();
    const app = createHttpServer({ db, log, version: "1.2.3" });

    const response = await request(app).get("/healthz");
    await db.$disconnect();

    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: "degraded", database: "unreachable", version: "1.2.3" });
    expect(log.lines).toEqual([expect.stringMatching(/^warn Health check: the database is unreachable/)]);
    expect(log.lines.join("\n")).not.toContain("secret");
  });

  it("answers unknown routes with a JSON 404", async () => {
    const app = createHttpServer({ db: database.db, log: createRecordingLogger(), version: "1.2.3" });

    const response = await request(app).post("/nope?x=1");

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: "NOT_FOUND", message: "No route for POST /nope." } });
  });

  it("maps an AppError from added middleware to its status and code", async () => {
    const failing: RequestHandler = () => {
      throw new AppError("REPOSITORY_NOT_FOUND", "Repository octo/cat is not installed.");
    };
    const app = createHttpServer({
      db: database.db,
      log: createRecordingLogger(),
      middleware: [failing],
      version: "1",
    });

    const response = await request(app).get("/repos/octo/cat");

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: "REPOSITORY_NOT_FOUND", message: "Repository octo/cat is not installed." },
    });
  });

  it("answers an unexpected error with 500 INTERNAL, keeping the details in the log only", async () => {
    const failing: RequestHandler = async () => {
      throw new Error("password=hunter2 at /srv/secret.ts:1");
    };
    const log = createRecordingLogger();
    const app = createHttpServer({ db: database.db, log, middleware: [failing], version: "1" });

    const response = await request(app).get("/boom");

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: { code: "INTERNAL", message: "Internal server error. The server log has the details." },
    });
    expect(response.text).not.toContain("hunter2");
    expect(log.lines).toEqual([expect.stringContaining("GET /boom failed: Error: password=hunter2")]);
  });

  it("answers a client error raised by Express (a 4xx status) with BAD_INPUT", async () => {
    const parseFailure: RequestHandler = (_req, _res, next) => {
      next(Object.assign(new Error("Unexpected token } in JSON"), { status: 400, expose: true }));
    };
    const app = createHttpServer({
      db: database.db,
      log: createRecordingLogger(),
      middleware: [parseFailure],
      version: "1",
    });

    const response = await request(app).post("/anything");

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: "BAD_INPUT", message: "Unexpected token } in JSON" } });
  });

  it("leaves request bodies raw for the webhook middleware; only /api/v1 parses JSON", async () => {
    const seen: unknown[] = [];
    const webhook: RequestHandler = async (req, res, next) => {
      if (req.path !== "/api/github/webhooks") return next();
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.push([req.body, Buffer.concat(chunks).toString("utf8")]);
      res.status(202).end();
    };
    const api = createApiRouter({
      service: {
        db: database.db,
        githubFor: async () => null,
        now: () => new Date(),
        log: createRecordingLogger(),
        maxFileSizeBytes: 1,
      },
      reporter: { enqueued() {}, settled() {} },
      worker: { wake() {} },
      events: (_req, _res, next) => next(),
      version: "1",
    });
    const app = createHttpServer({
      db: database.db,
      log: createRecordingLogger(),
      version: "1",
      middleware: [webhook],
      api,
    });

    const delivery = await request(app)
      .post("/api/github/webhooks")
      .set("Content-Type", "application/json")
      .send('{"zen":"Keep it logically awesome."}');
    const parsed = await request(app)
      .post("/api/v1/syncs/00000000-0000-4000-8000-000000000000/restore")
      .send({ unexpected: true });

    expect(delivery.status).toBe(202);
    expect(seen).toEqual([[undefined, '{"zen":"Keep it logically awesome."}']]);
    expect(parsed.body).toEqual({
      error: { code: "BAD_INPUT", message: 'unknown body field "unexpected".' },
    });
  });
});
