import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import express from "express";
import { webhookEvents } from "../../src/app/webhook-events.js";
import { createProcessPresence } from "../../src/db/create-process-presence.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { createWebhookIntake } from "../../src/inbox/create-webhook-intake.js";
import { createInboxStore, type InboxStore } from "../../src/inbox/inbox-store.js";
import {
  type AppRequestClient,
  type RedeliverOptions,
  redeliverFailedDeliveries,
} from "../../src/inbox/redeliver-failed-deliveries.js";
import { silentLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

const SECRET = "redeliver-secret";
// Any bearer JWT passes the simulator's app routes (three dot-separated parts: Octokit sends it as `bearer`).
const APP_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln";

describe("redeliverFailedDeliveries against the simulator's deliveries API", () => {
  const sim = useSimulator({ files: 20, seed: 3 });
  let database: TestDatabase;
  let store: InboxStore;
  let appUrl: string;
  let closeApp: () => Promise<void>;
  let clock: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = createInboxStore({ databaseUrl: database.url });
    const app = express();
    app.use(
      createWebhookIntake({
        path: "/api/github/webhooks",
        secret: SECRET,
        store,
        events: webhookEvents,
        log: silentLogger,
      }),
    );
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    closeApp = async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
  });
  afterAll(async () => {
    await closeApp();
    await store.close();
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.webhookDelivery.deleteMany();
    await database.db.appLease.deleteMany();
    sim.sim.clearDeliveries();
    sim.sim.clearRecorded();
    sim.sim.resetStats();
    clock = Date.now();
  });

  const client = () =>
    createOctokit({
      auth: APP_JWT,
      baseUrl: sim.address.apiUrl,
      retry: false,
      throttle: false,
      log: silentLogger,
    }) as unknown as AppRequestClient;

  const scan = (overrides: Partial<RedeliverOptions> = {}) =>
    redeliverFailedDeliveries({
      db: database.db,
      client: client(),
      log: silentLogger,
      now: () => new Date(clock),
      holder: "test",
      ...overrides,
    });

  async function deliverTo(url: string, secret: string, id: string) {
    sim.sim.setWebhookTarget({ url, secret });
    return sim.sim.deliver("push", pushPayload(id), { id });
  }

  function pushPayload(id: string): Record<string, unknown> {
    return {
      ref: "refs/heads/main",
      before: "1".repeat(40),
      after: "2".repeat(40),
      created: false,
      deleted: false,
      forced: false,
      commits: [],
      repository: sim.sim.repositoryPayload(OWNER, NAME),
      installation: { id: 1 },
      sender: { login: `sender-${id}`, type: "User" },
    };
  }

  it("asks GitHub again for every event it could not bring, and for none that arrived or that the app refused", async () => {
    const down = await closedUrl();
    const lost = [await deliverTo(down, SECRET, "lost-1"), await deliverTo(down, SECRET, "lost-2")];
    const refused = await deliverTo(appUrl, "a-wrong-secret", "refused-1");
    const arrived = await deliverTo(appUrl, SECRET, "arrived-1");
    // stored by the app, but GitHub gave up waiting for the answer: not asked again
    await deliverTo(down, SECRET, "stored-1");
    await store.insert({
      id: "stored-1",
      event: "push",
      action: null,
      installationId: 1,
      repositoryGithubId: null,
      payload: "{}",
      receivedAt: new Date(),
    });
    expect([...lost.map((delivery) => delivery.status), refused.status, arrived.status]).toEqual([
      0, 0, 401, 202,
    ]);
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });
    const before = sim.sim.deliveries.length;

    const result = await scan();
    await sim.sim.deliveriesIdle();

    expect(result).toEqual({ scanned: true, read: 5, redelivered: 2, truncated: false });
    const redelivered = sim.sim.deliveries.slice(before);
    expect(redelivered.map((delivery) => [delivery.guid, delivery.status_code]).sort()).toEqual([
      ["lost-1", 202],
      ["lost-2", 202],
    ]);
    const stored = await database.db.webhookDelivery.findMany({ orderBy: { id: "asc" } });
    expect(stored.map((delivery) => delivery.id)).toEqual(["arrived-1", "lost-1", "lost-2", "stored-1"]);
  });

  it("reads back only to where the last scan stopped, across pages, and stores its cursor", async () => {
    const down = await closedUrl();
    for (let i = 0; i < 5; i += 1) await deliverTo(down, SECRET, `old-${i}`);
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });
    const first = await scan({ perPage: 2 });
    await sim.sim.deliveriesIdle();
    const requests = () => sim.sim.stats().requests["GET /app/hook/deliveries"] ?? 0;
    const afterFirst = requests();

    await deliverTo(down, SECRET, "new-1");
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });
    const tooSoon = await scan({ perPage: 2 });
    clock += 60_000;
    const newestRead = Math.max(...sim.sim.deliveries.map((delivery) => delivery.id));
    const second = await scan({ perPage: 2 });
    await sim.sim.deliveriesIdle();

    expect(first).toMatchObject({ scanned: true, read: 5, redelivered: 5 });
    expect(afterFirst).toBe(3);
    expect(tooSoon).toMatchObject({ scanned: false });
    // the five redeliveries (which succeeded) and the new failure: nothing older is read again
    expect(second).toMatchObject({ scanned: true, read: 6, redelivered: 1 });
    // three pages of new deliveries, and the page where the first one already read shows up
    expect(requests() - afterFirst).toBe(4);
    const lease = await database.db.appLease.findUniqueOrThrow({ where: { name: "webhook-redelivery" } });
    expect(lease).toMatchObject({ leaseUntil: null, holder: "test" });
    expect(Number((lease.state as { lastId: string }).lastId)).toBe(newestRead);
    expect(await database.db.webhookDelivery.count()).toBe(6);
  });

  it("runs soon after another scan when asked for after an outage that began after that scan started", async () => {
    const first = await scan();
    const down = await closedUrl();
    clock += 5_000;
    await deliverTo(down, SECRET, "outage-1");
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });

    const skipped = await scan();
    const asked = await scan({ notBefore: new Date(clock - 1_000) });
    await sim.sim.deliveriesIdle();

    expect([first.scanned, skipped.scanned, asked.scanned]).toEqual([true, false, true]);
    expect(asked.redelivered).toBe(1);
  });

  it("stops at its page bound and says so, leaving the rest for the next scan", async () => {
    const down = await closedUrl();
    for (let i = 0; i < 5; i += 1) await deliverTo(down, SECRET, `many-${i}`);
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });

    const result = await scan({ perPage: 2, maxPages: 2 });
    await sim.sim.deliveriesIdle();

    expect(result).toMatchObject({ scanned: true, read: 4, redelivered: 4, truncated: true });
  });

  it("runs once across processes: a scan while another holds the lease does nothing", async () => {
    const down = await closedUrl();
    await deliverTo(down, SECRET, "once-1");
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });

    const before = sim.sim.deliveries.length;

    const results = await Promise.all([scan({ holder: "a" }), scan({ holder: "b" })]);
    await sim.sim.deliveriesIdle();

    expect(results.map((result) => result.scanned).sort()).toEqual([false, true]);
    expect(sim.sim.deliveries.slice(before).map((delivery) => delivery.guid)).toEqual(["once-1"]);
  });

  it("takes its own lease again when its release was lost; another holder waits for it", async () => {
    const down = await closedUrl();
    await deliverTo(down, SECRET, "lost-release-1");
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });
    // what a scan leaves when the database goes away before it can release its lease
    await database.db.appLease.create({
      data: {
        name: "webhook-redelivery",
        holder: "test",
        leaseUntil: new Date(clock + 300_000),
        updatedAt: new Date(clock),
      },
    });

    const other = await scan({ holder: "other" });
    const own = await scan({ holder: "test" });
    await sim.sim.deliveriesIdle();

    expect(other).toMatchObject({ scanned: false, skipped: "held" });
    expect(own).toMatchObject({ scanned: true, redelivered: 1 });
  });

  it("takes at once a lease whose holder's process was killed (its presence lock is free), not one of a live process", async () => {
    const down = await closedUrl();
    await deliverTo(down, SECRET, "killed-holder-1");
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });
    const alive = createProcessPresence({ databaseUrl: database.url, log: silentLogger });
    const killed = createProcessPresence({ databaseUrl: database.url, log: silentLogger });
    await alive.start();
    await killed.start();
    try {
      const held = (holder: string, holderKey: number) =>
        database.db.appLease.upsert({
          where: { name: "webhook-redelivery" },
          create: { name: "webhook-redelivery", holder, holderKey, leaseUntil: new Date(clock + 300_000) },
          update: { holder, holderKey, leaseUntil: new Date(clock + 300_000) },
        });

      await held("alive", alive.key);
      const whileAlive = await scan({ holder: "next" });
      await held("killed", killed.key);
      await killed.stop(); // its session ends, as a SIGKILL ends it
      const afterKill = await scan({ holder: "next" });
      await sim.sim.deliveriesIdle();

      expect(whileAlive).toMatchObject({ scanned: false, skipped: "held" });
      expect(afterKill).toMatchObject({ scanned: true, redelivered: 1 });
    } finally {
      await alive.stop();
      await killed.stop();
    }
  });

  it("keeps its cursor when GitHub's deliveries API fails, so the next scan reads the same deliveries", async () => {
    const down = await closedUrl();
    await deliverTo(down, SECRET, "retry-1");
    sim.sim.setWebhookTarget({ url: appUrl, secret: SECRET });
    sim.sim.injectFault({ route: "GET /app/hook/deliveries", times: 1, kind: "500" });

    await expect(scan()).rejects.toThrow();
    const lease = await database.db.appLease.findUniqueOrThrow({ where: { name: "webhook-redelivery" } });
    const result = await scan();
    await sim.sim.deliveriesIdle();

    expect(lease).toMatchObject({ state: null, leaseUntil: null });
    expect(result).toMatchObject({ scanned: true, redelivered: 1 });
  });
});

/** A URL nothing listens on: a server that has been closed again. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/github/webhooks`;
}
