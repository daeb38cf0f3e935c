import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { silentLogger } from "../../src/logger.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { createApiTestServer, remoteClient } from "../api/api-test-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const TOKEN = "s3cret-token-for-the-api-tests";
const REMOTE = "203.0.113.7";

describe("who may use the API and the page", () => {
  let database: TestDatabase;
  let service: ServiceDeps;
  beforeAll(async () => {
    database = await createTestDatabase();
    service = {
      db: database.db,
      githubFor: async () => null,
      now: () => new Date(),
      log: silentLogger,
      maxFileSizeBytes: 1024,
    };
  });
  afterAll(async () => {
    await database.drop();
  });

  describe("with API_TOKEN set", () => {
    it("refuses /api/v1 without the bearer token: 401 with WWW-Authenticate: Bearer", async () => {
      const { app } = createApiTestServer({ service, apiToken: TOKEN });

      const response = await request(app).get("/api/v1/repos");

      expect(response.status).toBe(401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(response.body).toEqual({
        error: {
          code: "UNAUTHORIZED",
          message: "This API needs the header Authorization: Bearer <API_TOKEN>.",
        },
      });
    });

    it.each([
      ["a wrong token", `Bearer ${TOKEN}x`],
      ["a prefix of the token", `Bearer ${TOKEN.slice(0, 10)}`],
      ["another scheme", `Basic ${Buffer.from(`user:${TOKEN}`).toString("base64")}`],
      ["the bare token", TOKEN],
    ])("refuses %s with 401", async (_what, authorization) => {
      const { app } = createApiTestServer({ service, apiToken: TOKEN });

      const response = await request(app).get("/api/v1/repos").set("Authorization", authorization);

      expect([response.status, response.body.error.code]).toEqual([401, "UNAUTHORIZED"]);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    });

    it("answers the right token, from any address", async () => {
      const { app } = createApiTestServer({ service, apiToken: TOKEN, middleware: [remoteClient(REMOTE)] });

      const response = await request(app).get("/api/v1/repos").set("Authorization", `bearer ${TOKEN}`);

      expect([response.status, response.body.nextCursor]).toEqual([200, null]);
    });

    it("asks for the token before reading a body, and on every API route (openapi.json, SSE, unknown paths)", async () => {
      const { app, calls } = createApiTestServer({ service, apiToken: TOKEN });

      const post = await request(app)
        .post("/api/v1/repos/octo/cat/syncs")
        .set("Content-Type", "application/json")
        .send("{ not json");
      const others = await Promise.all(
        [
          "/api/v1/openapi.json",
          "/api/v1/events/project-sync/00000000-0000-4000-8000-000000000000",
          "/api/v1/x",
        ].map((path) => request(app).get(path)),
      );

      expect([post.status, ...others.map((response) => response.status)]).toEqual([401, 401, 401, 401]);
      expect(calls).toEqual([]);
    });

    it("serves the page's HTML and scripts without the token (they hold no data)", async () => {
      const { app } = createApiTestServer({ service, apiToken: TOKEN, middleware: [remoteClient(REMOTE)] });

      const page = await request(app).get("/");
      const script = await request(app).get("/assets/app.js");

      expect([page.status, script.status]).toEqual([200, 200]);
    });
  });

  describe("without API_TOKEN", () => {
    it.each(["127.0.0.1", "::1", "::ffff:127.0.0.1"])(
      "answers the API and the page from loopback %s",
      async (address) => {
        const { app } = createApiTestServer({ service, middleware: [remoteClient(address)] });

        const api = await request(app).get("/api/v1/repos");
        const page = await request(app).get("/");

        expect([api.status, page.status]).toEqual([200, 200]);
      },
    );

    it("refuses other addresses with 403, whatever X-Forwarded-For claims", async () => {
      const { app } = createApiTestServer({ service, middleware: [remoteClient(REMOTE)] });

      const api = await request(app).get("/api/v1/repos").set("X-Forwarded-For", "127.0.0.1");
      const page = await request(app).get("/").set("X-Forwarded-For", "127.0.0.1");
      const script = await request(app).get("/assets/app.js");

      expect([api.status, page.status, script.status]).toEqual([403, 403, 403]);
      expect(api.body).toEqual({
        error: { code: "FORBIDDEN", message: expect.stringContaining("API_TOKEN") },
      });
    });

    it.each(["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "localhost"])(
      "answers a loopback client addressing it as %s",
      async (host) => {
        const { app } = createApiTestServer({ service });

        const api = await request(app).get("/api/v1/repos").set("Host", host);
        const page = await request(app).get("/").set("Host", host);

        expect([api.status, page.status]).toEqual([200, 200]);
      },
    );

    it("refuses a loopback request addressed to another name: a DNS-rebinding page in the local browser", async () => {
      await service.db.repository.create({
        data: { key: "octo/rebound", owner: "octo", name: "rebound", defaultBranch: "main" },
      });
      const { app } = createApiTestServer({ service });

      const api = await request(app).get("/api/v1/repos").set("Host", "attacker.example:3000");
      const page = await request(app).get("/").set("Host", "attacker.example:3000");

      expect([api.status, page.status]).toEqual([403, 403]);
      expect(api.body).toEqual({
        error: { code: "FORBIDDEN", message: expect.stringContaining("attacker.example:3000") },
      });
    });

    it("refuses a loopback request another site's page sent (cross-site POST), and queues nothing", async () => {
      await service.db.repository.create({
        data: { key: "octo/csrf", owner: "octo", name: "csrf", defaultBranch: "main" },
      });
      const { app, calls } = createApiTestServer({ service });

      const crossSite = await request(app)
        .post("/api/v1/repos/octo/csrf/syncs")
        .set("Host", "localhost:3000")
        .set("Origin", "https://attacker.example");
      const sandboxed = await request(app)
        .post("/api/v1/repos/octo/csrf/syncs")
        .set("Host", "localhost:3000")
        .set("Origin", "null");
      const sameOrigin = await request(app)
        .get("/api/v1/repos")
        .set("Host", "localhost:3000")
        .set("Origin", "http://localhost:3000");

      expect([crossSite.status, crossSite.body.error.code]).toEqual([403, "FORBIDDEN"]);
      expect(sandboxed.status).toBe(403);
      expect(sameOrigin.status).toBe(200);
      expect(calls).toEqual([]);
    });

    it("refuses a remote client before it reaches the SSE handler", async () => {
      const { app, calls } = createApiTestServer({ service, middleware: [remoteClient("10.0.0.2")] });

      const response = await request(app).get(
        "/api/v1/events/project-sync/00000000-0000-4000-8000-000000000000",
      );

      expect(response.status).toBe(403);
      expect(calls).toEqual([]);
    });

    it("keeps /healthz open to everyone (load balancers probe it)", async () => {
      const { app } = createApiTestServer({ service, middleware: [remoteClient(REMOTE)] });

      expect((await request(app).get("/healthz")).status).toBe(200);
    });
  });

  it("answers 503 MISSING_CREDENTIALS when the server has no GitHub credentials: 401 is only the API's token", async () => {
    await service.db.repository.create({
      data: { key: "octo/no-creds", owner: "octo", name: "no-creds", defaultBranch: "main" },
    });
    const { app } = createApiTestServer({ service, apiToken: TOKEN });

    const response = await request(app)
      .get("/api/v1/repos/octo/no-creds/branches")
      .set("Authorization", `Bearer ${TOKEN}`);

    expect([response.status, response.body.error.code]).toEqual([503, "MISSING_CREDENTIALS"]);
  });

  describe("security headers", () => {
    it("sends nosniff and no-framing on the API, a strict CSP without inline scripts on the page", async () => {
      const { app } = createApiTestServer({ service });

      const api = await request(app).get("/api/v1/repos");
      const refused = await request(app).get("/api/v1/syncs/nope");
      const page = await request(app).get("/");

      for (const response of [api, refused, page]) {
        expect(response.headers["x-content-type-options"]).toBe("nosniff");
        expect(response.headers["x-frame-options"]).toBe("DENY");
      }
      expect(api.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
      const csp = page.headers["content-security-policy"] ?? "";
      expect(csp).toMatch(/^default-src 'self';/);
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
    });
  });
});
