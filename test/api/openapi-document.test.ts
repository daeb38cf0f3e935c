import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Router } from "express";
import request from "supertest";
import { createApiRouter } from "../../src/api/create-api-router.js";
import { silentLogger } from "../../src/logger.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { createApiTestServer } from "./api-test-server.js";

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};
type OpenApi = {
  openapi: string;
  info: { version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

/** Every route the router mounts, as "METHOD /path" with OpenAPI's {param} syntax. */
function mountedRoutes(router: Router): string[] {
  const stack = (
    router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }
  ).stack;
  return stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((method) => method !== "_all")
          .map((method) => `${method.toUpperCase()} ${layer.route?.path.replace(/:(\w+)/g, "{$1}")}`)
      : [],
  );
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "$ref" && typeof inner === "string" ? [inner] : refsIn(inner),
  );
}

describe("GET /api/v1/openapi.json", () => {
  let database: TestDatabase;
  let service: ServiceDeps;
  let document: OpenApi;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = {
      db: database.db,
      githubFor: async () => null,
      now: () => new Date(),
      log: silentLogger,
      maxFileSizeBytes: 1,
    };
    const { app } = createApiTestServer({ service });
    const response = await request(app).get("/api/v1/openapi.json");
    expect(response.status).toBe(200);
    document = response.body as OpenApi;
  });
  afterAll(async () => {
    await database.drop();
  });

  it("is an OpenAPI 3.1 document of this release, served under /api/v1, with bearer auth", () => {
    expect([document.openapi, document.info.version, document.servers]).toEqual([
      "3.1.0",
      "9.9.9-test",
      [{ url: "/api/v1" }],
    ]);
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
  });

  it("describes every route the API router mounts, and no route it does not mount", () => {
    const router = createApiRouter({
      service,
      reporter: { enqueued() {}, settled() {} },
      worker: { wake() {} },
      events: (_req, _res, next) => next(),
      version: "x",
    });
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );

    const mounted = mountedRoutes(router);

    expect(mounted.length).toBeGreaterThanOrEqual(10);
    expect(documented.sort()).toEqual(mounted.sort());
    expect(mounted).toEqual(
      expect.arrayContaining([
        "GET /repos",
        "GET /repos/{owner}/{repo}/branches",
        "GET /repos/{owner}/{repo}/syncs",
        "POST /repos/{owner}/{repo}/syncs",
        "GET /syncs/{syncId}",
        "POST /syncs/{syncId}/restore",
        "GET /repos/{owner}/{repo}/memory",
        "GET /repos/{owner}/{repo}/memory/file",
        "GET /syncs/{from}/compare/{to}",
        "GET /syncs/{syncId}/changes",
        "GET /events/project-sync/{syncId}",
        "GET /openapi.json",
        "POST /webhooks",
        "GET /webhooks",
        "GET /webhooks/{webhookId}",
        "DELETE /webhooks/{webhookId}",
        "POST /webhooks/{webhookId}/enable",
        "GET /webhooks/{webhookId}/deliveries",
        "POST /webhooks/{webhookId}/deliveries/{deliveryId}/redeliver",
      ]),
    );
  });

  it("declares each path's parameters, and every operation's errors with the error shape", () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(operations)) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        expect({ operation: operation.operationId, params: declared }).toEqual({
          operation: operation.operationId,
          params: inPath,
        });
        for (const status of ["400", "401", "403", "500"]) {
          expect(operation.responses[status]).toEqual({
            description: expect.any(String),
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          });
        }
      }
    }
  });

  it("takes parameters from the schemas requests are validated with", () => {
    const memory = document.paths["/repos/{owner}/{repo}/memory"]?.get;
    const history = document.paths["/repos/{owner}/{repo}/syncs"]?.get;
    const start = document.paths["/repos/{owner}/{repo}/syncs"]?.post;

    expect(memory?.parameters?.filter((p) => p.in === "query").map((p) => [p.name, p.required])).toEqual([
      ["branch", false],
      ["path", false],
      ["limit", false],
      ["cursor", false],
      ["asOf", false],
    ]);
    expect(memory?.parameters?.find((p) => p.name === "limit")?.schema).toEqual({
      type: "integer",
      minimum: 1,
      maximum: 5000,
    });
    expect(history?.parameters?.find((p) => p.name === "limit")?.schema).toEqual({
      type: "integer",
      minimum: 1,
      maximum: 500,
    });
    expect(start?.requestBody).toEqual({
      required: false,
      content: { "application/json": { schema: { $ref: "#/components/schemas/StartSyncBody" } } },
    });
    expect(document.components.schemas.StartSyncBody).toMatchObject({
      properties: { branch: expect.any(Object), full: expect.objectContaining({ type: "boolean" }) },
      additionalProperties: false,
    });
    expect(Object.keys(start?.responses ?? {})).toEqual(expect.arrayContaining(["202", "404", "409"]));
    expect(document.paths["/events/project-sync/{syncId}"]?.get?.responses["200"]).toMatchObject({
      content: { "text/event-stream": expect.any(Object) },
    });
  });

  it("resolves every $ref to a component, and describes the sync as the CLI prints it", () => {
    const refs = refsIn(document);

    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas).toHaveProperty([ref.slice("#/components/schemas/".length)]);
    }
    expect(Object.keys((document.components.schemas.Sync as { properties: object }).properties)).toEqual(
      expect.arrayContaining([
        "id",
        "repository",
        "branch",
        "status",
        "phase",
        "trigger",
        "headSha",
        "baseSha",
        "previousSyncId",
        "counts",
        "startedAt",
        "finishedAt",
        "error",
        "checkRunId",
      ]),
    );
  });
});
