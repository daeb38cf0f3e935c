// At least once across a crash: the real app in a process of its own (as `npm start` runs it) syncs a push from the
// simulator, and is killed (SIGKILL) while the webhook of the pushed head's sync is on the wire — after the sync's finalize wrote the event, before
// the delivery was recorded. Started again, it sends the event again with the same webhook-id, and the receiver
// acknowledges it once.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { type ChildApp, spawnApp } from "../helpers/spawn-app.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

const SECRET = "webhook-crash-secret";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs1",
  format: "pem",
}) as string;

describe("a webhook in flight when the app is killed", () => {
  const sim = useSimulator({ files: 30, seed: 31 });
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let app: ChildApp | undefined;

  const startApp = async () => {
    app = await spawnApp({
      DATABASE_URL: database.url,
      PORT: "0",
      HOST: "127.0.0.1",
      APP_ID: "1",
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      ...sim.address.ghe,
      SYNC_CONCURRENCY: "1",
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      LOG_LEVEL: "fatal",
      NODE_ENV: "test",
    });
    sim.sim.setWebhookTarget({ url: `${app.url}/api/github/webhooks`, secret: SECRET });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startWebhookReceiver();
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    await database?.drop();
  }, 60_000);

  it("is sent again after a restart, with the same webhook-id, and acknowledged once", async () => {
    await startApp();
    const registered = await fetch(`${app?.url}/api/v1/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: receiver.url }),
    });
    expect(registered.status).toBe(201);
    receiver.setSecret(((await registered.json()) as { secret: string }).secret);
    const head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: sim.repo.headSha,
      changes: { "crash.txt": "written before the crash\n" },
    });
    // the push's event: the first sync.succeeded of the pushed head (a later sync of the same head is another event)
    let eventId: string | undefined;
    const ofPush = () => receiver.received.filter((entry) => entry.id === eventId);
    let killed: Promise<void> | undefined;
    receiver.setPlan((_index, entry) => {
      if (
        eventId !== undefined ||
        entry.payload?.type !== "sync.succeeded" ||
        entry.payload.data.headSha !== head
      ) {
        return 200;
      }
      eventId = entry.id;
      killed = app?.kill(); // the app dies waiting for this answer
      return "hold";
    });

    await sim.sim.push(OWNER, NAME, "main", head, { sender: "alice" });
    await waitFor(() => ofPush().length === 1 && killed !== undefined);
    await killed;
    const event = await database.db.outboxEvent.findUniqueOrThrow({
      where: { id: eventId?.replace(/^msg_/, "") },
      include: { deliveries: true, sync: true },
    });
    expect(event.sync).toEqual(expect.objectContaining({ headSha: head, status: "succeeded" }));
    expect(event.deliveries).toEqual([expect.objectContaining({ status: "sending", deliveredAt: null })]);
    await startApp();
    await waitFor(() => ofPush().length === 2);
    await waitFor(
      async () =>
        (await database.db.outboxDelivery.count({ where: { status: "succeeded", eventId: event.id } })) === 1,
    );
    await app?.stop();
    app = undefined;

    const deliveries = ofPush();
    expect(deliveries.map((entry) => [entry.id, entry.verified, entry.status])).toEqual([
      [`msg_${event.id}`, true, null],
      [`msg_${event.id}`, true, 200],
    ]);
    expect(deliveries[1]?.body).toBe(deliveries[0]?.body);
    expect(deliveries[0]?.payload).toEqual(
      expect.objectContaining({
        type: "sync.succeeded",
        data: expect.objectContaining({ syncId: event.syncId }),
      }),
    );
    const delivery = await database.db.outboxDelivery.findFirstOrThrow({
      where: { eventId: event.id },
      include: { attemptLog: true },
    });
    expect(delivery.attemptLog.map((attempt) => [attempt.statusCode, attempt.succeeded])).toEqual([
      [200, true],
    ]);
  }, 120_000);
});

/** Polls `condition` until it holds (fails after 60 s). */
async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
