// The outbound webhooks' REST API over a real database: register (secret shown once), list and get (never the
// secret), remove, deliveries with attempts, redeliver, enable; bad input refused with nothing changed. Every answer is
// parsed with the schema the OpenAPI document is generated from.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import type { Express } from "express";
import request from "supertest";
import {
  createdWebhookSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookListSchema,
  webhookSchema,
} from "../../src/api/webhook-api-schemas.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { pruneOutbox } from "../../src/outbox/prune-outbox.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { createApiTestServer } from "../api/api-test-server.js";
import { serviceDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("/api/v1/webhooks", () => {
  let database: TestDatabase;
  let service: ServiceDeps;
  let app: Express;
  let strictApp: Express;
  let repository: Repository;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = serviceDeps(database, { githubFor: async () => null });
    app = createApiTestServer({ service, webhooks: { allowPrivateTargets: true } }).app;
    strictApp = createApiTestServer({ service }).app;
    repository = await database.db.repository.create({
      data: { key: "octo/hello", owner: "octo", name: "hello", defaultBranch: "main" },
    });
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.webhookEndpoint.deleteMany();
  });

  /** A sync of the repository that succeeds now (the outbox trigger writes its event). */
  async function succeedSync(): Promise<string> {
    const sync = await database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "main", trigger: "manual", status: "running" },
    });
    await database.db.projectSync.update({
      where: { id: sync.id },
      data: { status: "succeeded", finishedAt: new Date() },
    });
    return sync.id;
  }

  it("registers an endpoint and shows its secret once; lists and gets it without the secret", async () => {
    const created = await request(app)
      .post("/api/v1/webhooks")
      .send({ url: "http://127.0.0.1:9/hook", repository: "Octo/Hello", description: "CI" });

    expect(created.status).toBe(201);
    const endpoint = createdWebhookSchema.parse(created.body);
    expect(endpoint).toEqual(
      expect.objectContaining({ url: "http://127.0.0.1:9/hook", repository: "octo/hello", enabled: true }),
    );
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await request(app).get("/api/v1/webhooks");
    const one = await request(app).get(`/api/v1/webhooks/${endpoint.id}`);
    expect(webhookListSchema.parse(list.body).webhooks).toEqual([webhookSchema.parse(one.body)]);
    expect(JSON.stringify(list.body)).not.toContain(endpoint.secret);
    expect(JSON.stringify(one.body)).not.toContain("secret");
  });

  it.each([
    [{ url: "http://hooks.example.com/x" }, /must use https/],
    [{ url: "https://127.0.0.1/x" }, /not a public address/],
    [{ url: "https://169.254.169.254/latest" }, /not a public address/],
    [{ url: "https://localhost/x" }, /not a public address/],
    [{ url: "https://hooks.example.com/x", events: ["x"] }, /events/],
    [{ url: "" }, /url/],
    [{}, /url/],
  ])("refuses %j without private targets allowed, registering nothing", async (body, message) => {
    const response = await request(strictApp).post("/api/v1/webhooks").send(body);

    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
    expect(await database.db.webhookEndpoint.count()).toBe(0);
  });

  it("answers 404 for an unknown repository or endpoint, 400 for an id that is not one", async () => {
    const unknownRepository = await request(app)
      .post("/api/v1/webhooks")
      .send({ url: "https://hooks.example.com/x", repository: "octo/nope" });
    const unknown = await request(app).get("/api/v1/webhooks/00000000-0000-4000-8000-000000000000");
    const bad = await request(app).delete("/api/v1/webhooks/nope");

    expect([unknownRepository.status, unknown.status, bad.status]).toEqual([404, 404, 400]);
    expect(await database.db.webhookEndpoint.count()).toBe(0);
  });

  it("lists an endpoint's deliveries, redelivers one, enables a disabled endpoint, and removes it", async () => {
    const { body } = await request(app).post("/api/v1/webhooks").send({ url: "https://hooks.example.com/x" });
    const endpoint = createdWebhookSchema.parse(body);
    const syncId = await succeedSync();
    await database.db.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { disabledAt: new Date(), disabledReason: "failing", failingSince: new Date(0) },
    });

    const listed = await request(app).get(`/api/v1/webhooks/${endpoint.id}/deliveries?limit=5`);
    const { deliveries } = webhookDeliveryListSchema.parse(listed.body);
    expect(deliveries).toEqual([
      expect.objectContaining({
        type: "sync.succeeded",
        syncId,
        status: "pending",
        attempts: 0,
        attemptLog: [],
      }),
    ]);
    const delivery = deliveries[0];
    const redelivered = await request(app).post(
      `/api/v1/webhooks/${endpoint.id}/deliveries/${delivery?.id}/redeliver`,
    );
    expect(redelivered.status).toBe(202);
    expect(webhookDeliverySchema.parse(redelivered.body).status).toBe("pending");
    const enabled = await request(app).post(`/api/v1/webhooks/${endpoint.id}/enable`);
    expect(webhookSchema.parse(enabled.body)).toEqual(
      expect.objectContaining({ enabled: true, disabledAt: null, failingSince: null }),
    );

    const removed = await request(app).delete(`/api/v1/webhooks/${endpoint.id}`);

    expect(removed.status).toBe(200);
    expect(webhookSchema.parse(removed.body).id).toBe(endpoint.id);
    expect(await database.db.outboxDelivery.count()).toBe(0);
    expect((await request(app).get(`/api/v1/webhooks/${endpoint.id}`)).status).toBe(404);
  });

  it("fans an event out only to endpoints of its repository or of all, enabled when the sync ended", async () => {
    const other = await database.db.repository.create({
      data: { key: "octo/other", owner: "octo", name: "other", defaultBranch: "main" },
    });
    const all = createdWebhookSchema.parse(
      (await request(app).post("/api/v1/webhooks").send({ url: "https://a.example.com/" })).body,
    );
    const mine = createdWebhookSchema.parse(
      (
        await request(app)
          .post("/api/v1/webhooks")
          .send({ url: "https://b.example.com/", repository: "octo/hello" })
      ).body,
    );
    const theirs = createdWebhookSchema.parse(
      (
        await request(app)
          .post("/api/v1/webhooks")
          .send({ url: "https://c.example.com/", repository: "octo/other" })
      ).body,
    );

    const syncId = await succeedSync();

    const deliveries = await database.db.outboxDelivery.findMany({ include: { event: true } });
    expect(deliveries.map((delivery) => delivery.endpointId).sort()).toEqual([all.id, mine.id].sort());
    expect(deliveries.every((delivery) => delivery.event.syncId === syncId)).toBe(true);
    expect(theirs.repository).toBe("octo/other");
    await database.db.repository.delete({ where: { id: other.id } });
  });

  it("prunes old events no delivery waits for, with their deliveries and attempts", async () => {
    await database.db.outboxEvent.deleteMany();
    await request(app).post("/api/v1/webhooks").send({ url: "https://hooks.example.com/x" });
    const done = await succeedSync();
    const waiting = await succeedSync();
    const recent = await succeedSync();
    const old = new Date(Date.now() - 40 * 24 * 3_600_000);
    await database.db.outboxEvent.updateMany({
      where: { syncId: { in: [done, waiting] } },
      data: { createdAt: old },
    });
    await database.db.outboxDelivery.updateMany({
      where: { event: { syncId: { in: [done, recent] } } },
      data: { status: "succeeded" },
    });

    const pruned = await pruneOutbox(database.db, { before: new Date(Date.now() - 30 * 24 * 3_600_000) });

    expect(pruned).toBe(1);
    const left = await database.db.outboxEvent.findMany({
      where: { syncId: { in: [done, waiting, recent] } },
      select: { syncId: true },
    });
    expect(left.map((event) => event.syncId).sort()).toEqual([waiting, recent].sort());
  });
});
