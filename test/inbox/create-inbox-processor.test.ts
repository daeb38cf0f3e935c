import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { createProcessPresence } from "../../src/db/create-process-presence.js";
import { AppError } from "../../src/errors.js";
import { createInboxProcessor, type DeliveryHandler } from "../../src/inbox/create-inbox-processor.js";
import { MAX_DELIVERY_ATTEMPTS } from "../../src/inbox/delivery-retry-policy.js";
import { createInboxStore, type InboxStore } from "../../src/inbox/inbox-store.js";
import { pruneDeliveries } from "../../src/inbox/prune-deliveries.js";
import { silentLogger } from "../../src/logger.js";
import { createAppMetrics } from "../../src/metrics/app-metrics.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("createInboxProcessor", () => {
  let database: TestDatabase;
  let store: InboxStore;
  let clock: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = createInboxStore({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.webhookDelivery.deleteMany();
    clock = Date.parse("2026-12-05T12:00:00.000Z");
  });

  async function stored(id: string, payload: Record<string, unknown>, event = "push", receivedAt = clock) {
    await store.insert({
      id,
      event,
      action: null,
      installationId: 1,
      repositoryGithubId: 42,
      payload: JSON.stringify(payload),
      receivedAt: new Date(receivedAt),
    });
  }

  function processor(
    handle: DeliveryHandler,
    overrides: Partial<Parameters<typeof createInboxProcessor>[0]> = {},
  ) {
    return createInboxProcessor({
      db: database.db,
      log: silentLogger,
      handle,
      now: () => new Date(clock),
      random: () => 0.5,
      ...overrides,
    });
  }

  const row = (id: string) => database.db.webhookDelivery.findUniqueOrThrow({ where: { id } });

  it("runs every due delivery once, in the order GitHub sent it within a branch, and marks it processed", async () => {
    for (let i = 0; i < 30; i += 1) {
      await stored(`d-${i}`, { ref: `refs/heads/b${i % 3}`, n: i }, "push", clock - 1000 + i);
    }
    const seen: string[] = [];
    const inbox = processor(async (delivery) => {
      seen.push(delivery.id);
      // interleave partitions: a slow handler must not let later deliveries of its branch overtake it
      await new Promise((resolve) => setTimeout(resolve, (delivery.payload as { n: number }).n % 4));
    });

    inbox.start();
    await inbox.runUntilIdle();
    await inbox.stop();

    expect([...seen].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `d-${i}`).sort());
    for (const branch of [0, 1, 2]) {
      const order = seen.filter((id) => Number(id.slice(2)) % 3 === branch).map((id) => Number(id.slice(2)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    const rows = await database.db.webhookDelivery.findMany();
    expect(rows.every((delivery) => delivery.status === "processed" && delivery.payload === null)).toBe(true);
    expect(rows.every((delivery) => delivery.attempts === 1)).toBe(true);
  });

  it("retries a transient failure with backoff, then processes it", async () => {
    await stored("flaky", { ref: "refs/heads/main" });
    let calls = 0;
    const inbox = processor(async () => {
      calls += 1;
      if (calls === 1) throw new AppError("DATABASE_UNAVAILABLE", "connection refused", { retryable: true });
    });

    inbox.start();
    await inbox.runUntilIdle();

    expect(await row("flaky")).toMatchObject({
      status: "pending",
      attempts: 1,
      errorCode: "DATABASE_UNAVAILABLE",
      error: "connection refused",
      runAfter: new Date(clock + 5_000),
    });
    clock += 5_000;
    await inbox.runUntilIdle();
    await inbox.stop();
    expect(await row("flaky")).toMatchObject({
      status: "processed",
      attempts: 2,
      errorCode: null,
      error: null,
    });
    expect(calls).toBe(2);
  });

  it("parks a delivery its handler cannot read at once, with the error, keeping its payload", async () => {
    await stored("unreadable", { ref: 42 });
    const metrics = createAppMetrics({ defaultMetrics: false });
    const inbox = processor(
      async (delivery) => {
        z.object({ ref: z.string() }).parse(delivery.payload);
      },
      { metrics },
    );

    inbox.start();
    await inbox.runUntilIdle();
    await inbox.stop();

    expect(await row("unreadable")).toMatchObject({
      status: "parked",
      attempts: 1,
      errorCode: "BAD_INPUT",
      payload: JSON.stringify({ ref: 42 }),
    });
    expect((await row("unreadable")).error).toMatch(
      /^The payload is not what its handler reads: ref: .*expected string/,
    );
    expect(await metrics.registry.metrics()).toContain(
      'project_sync_inbox_handled_total{event="push",result="parked"} 1',
    );
  });

  it("parks a delivery that keeps failing after the last attempt", async () => {
    await stored("doomed", { ref: "refs/heads/main" });
    const inbox = processor(async () => {
      throw new Error("GitHub is down");
    });

    inbox.start();
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt += 1) {
      await inbox.runUntilIdle();
      clock += 3 * 60 * 60 * 1000;
    }
    await inbox.stop();

    expect(await row("doomed")).toMatchObject({
      status: "parked",
      attempts: MAX_DELIVERY_ATTEMPTS,
      error: "GitHub is down",
    });
  });

  it("takes a delivery again when the process that took it died (its lease ran out), and never twice at once", async () => {
    await stored("orphan", { ref: "refs/heads/main" });
    let finish: () => void = () => {};
    const first = processor(() => new Promise<void>((resolve) => (finish = resolve)), { leaseMs: 60_000 });
    first.start();
    await waitFor(async () => (await row("orphan")).status === "processing");
    const calls: string[] = [];
    const second = processor(async (delivery) => {
      calls.push(delivery.id);
    });

    second.start();
    await second.runUntilIdle();
    expect(calls).toEqual([]);
    clock += 60_001;
    await second.runUntilIdle();
    await second.stop();
    finish();
    await first.stop();

    expect(calls).toEqual(["orphan"]);
    expect(await row("orphan")).toMatchObject({ status: "processed", attempts: 2 });
  });

  it("takes a delivery at once, lease or not, when the process that took it is gone (its presence lock was released)", async () => {
    await stored("killed", { ref: "refs/heads/main" });
    const presence = createProcessPresence({ databaseUrl: database.url, log: silentLogger });
    await presence.start();
    const first = processor(() => new Promise<void>(() => {}), { leaseMs: 10 * 60_000, presence });
    first.start();
    await waitFor(async () => (await row("killed")).status === "processing");
    expect((await row("killed")).claimedBy).toBe(presence.key);
    const calls: string[] = [];
    const second = processor(async (delivery) => {
      calls.push(delivery.id);
    });

    second.start();
    await second.runUntilIdle();
    expect(calls).toEqual([]);
    await presence.stop(); // the first process is killed: its session, and the lock with it, is gone
    await second.runUntilIdle();
    await second.stop();
    void first.stop();

    expect(calls).toEqual(["killed"]);
    expect(await row("killed")).toMatchObject({ status: "processed", attempts: 2 });
  });

  it("stopping, finishes what it started and gives back at once what it took but had not started", async () => {
    for (let i = 0; i < 3; i += 1)
      await stored(`s-${i}`, { ref: "refs/heads/main" }, "push", clock - 100 + i);
    let finish: () => void = () => {};
    const seen: string[] = [];
    const inbox = processor(async (delivery) => {
      seen.push(delivery.id);
      await new Promise<void>((resolve) => (finish = resolve));
    });
    inbox.start();
    await waitFor(async () => seen.length === 1);

    const stopping = inbox.stop();
    finish();
    await stopping;

    expect(seen).toEqual(["s-0"]);
    const rows = await database.db.webhookDelivery.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.id, row.status, row.attempts, row.claimedBy])).toEqual([
      ["s-0", "processed", 1, null],
      ["s-1", "pending", 0, null],
      ["s-2", "pending", 0, null],
    ]);
  });

  it("processes a parked delivery again when GitHub delivers it again (someone pressed Redeliver)", async () => {
    await stored("again", { ref: 1 });
    const inbox = processor(async (delivery) => {
      z.object({ ref: z.string() }).parse(delivery.payload);
    });
    inbox.start();
    await inbox.runUntilIdle();
    expect((await row("again")).status).toBe("parked");

    const outcome = await store.insert({
      id: "again",
      event: "push",
      action: null,
      installationId: 1,
      repositoryGithubId: 42,
      payload: "{}",
      receivedAt: new Date(clock),
    });

    expect(outcome).toBe("requeued");
    expect(await row("again")).toMatchObject({ status: "pending", attempts: 0, errorCode: null });
    await inbox.stop();
  });

  it("prunes processed deliveries past their retention and never a parked one", async () => {
    await stored("old", { ref: "a" }, "push", clock - 10 * 86_400_000);
    await stored("parked", { ref: "b" }, "push", clock - 10 * 86_400_000);
    await stored("recent", { ref: "c" }, "push", clock);
    await database.db.webhookDelivery.update({
      where: { id: "old" },
      data: { status: "processed", processedAt: new Date(clock - 8 * 86_400_000), payload: null },
    });
    await database.db.webhookDelivery.update({
      where: { id: "parked" },
      data: { status: "parked", processedAt: new Date(clock - 8 * 86_400_000) },
    });
    await database.db.webhookDelivery.update({
      where: { id: "recent" },
      data: { status: "processed", processedAt: new Date(clock - 86_400_000), payload: null },
    });

    const pruned = await pruneDeliveries(database.db, {
      now: new Date(clock),
      retentionMs: 7 * 86_400_000,
      batchSize: 1,
    });

    expect(pruned).toBe(1);
    expect((await database.db.webhookDelivery.findMany({ orderBy: { id: "asc" } })).map((d) => d.id)).toEqual(
      ["parked", "recent"],
    );
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
