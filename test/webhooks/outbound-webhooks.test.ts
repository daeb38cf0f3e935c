// Outbound webhooks end to end in one process: syncs against the git-backed simulator write their events in the
// transaction that ends them, the dispatcher (clock injected) sends them to a real HTTP receiver that verifies every
// signature with the `standardwebhooks` library, and the retry schedule, the 5-day disabling and redelivery follow.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { AppError } from "../../src/errors.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { silentLogger } from "../../src/logger.js";
import { MAX_PAYLOAD_BYTES } from "../../src/outbox/build-event-payload.js";
import {
  createWebhookDispatcher,
  type WebhookDispatcher,
} from "../../src/outbox/create-webhook-dispatcher.js";
import { RETRY_DELAYS_MS } from "../../src/outbox/retry-schedule.js";
import { enableWebhook } from "../../src/service/enable-webhook.js";
import { executeSync } from "../../src/service/execute-sync.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import { listWebhookDeliveries } from "../../src/service/list-webhook-deliveries.js";
import { redeliverWebhook } from "../../src/service/redeliver-webhook.js";
import { registerWebhook } from "../../src/service/register-webhook.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { enqueueSync } from "../../src/sync-record/enqueue-sync.js";
import type { FakeCommit } from "../helpers/fake-github-repo.js";
import { simulatorDeps, syncCommit } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

describe("outbound webhooks", () => {
  const sim = useSimulator({ files: 40, seed: 13 });
  let database: TestDatabase;
  let deps: ServiceDeps;
  let repository: Repository;
  let receiver: WebhookReceiver;
  let clock: number;
  let dispatcher: WebhookDispatcher;
  let head: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = Date.now();
    deps = { ...simulatorDeps(database, sim.address.apiUrl), now: () => new Date(clock) };
    repository = await ensureRepository(deps, `${OWNER}/${NAME}`);
    head = sim.repo.headSha;
    dispatcher = createWebhookDispatcher({
      db: database.db,
      log: silentLogger,
      now: deps.now,
      allowPrivateTargets: true,
      publicUrl: "https://sync.example.com/",
    });
    // memory as of the generated repository's head, before any endpoint exists (so nothing is sent for it)
    await syncCommit(deps, { repository, commit: { sha: head } as FakeCommit });
  }, 60_000);
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    // receivers refuse signatures more than 5 minutes from their own clock: each test starts at the real time
    clock = Date.now();
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    await database.db.webhookEndpoint.deleteMany();
  });

  async function register(options: { repository?: string } = {}) {
    const endpoint = await registerWebhook(deps, {
      url: receiver.url,
      allowPrivateTargets: true,
      ...options,
    });
    receiver.setSecret(endpoint.secret);
    return endpoint;
  }

  /** A new commit on main with `changes`, synced as a push would be. */
  async function pushChanges(changes: Parameters<typeof commitChanges>[0]["changes"]) {
    head = await commitChanges({ gitDir: sim.repo.gitDir, parent: head, changes, seed: clock % 1000 });
    sim.sim.setBranch(OWNER, NAME, "main", head);
    const { sync } = await syncCommit(deps, { repository, commit: { sha: head } as FakeCommit });
    return sync;
  }

  it("sends sync.succeeded, signed per Standard Webhooks, to the endpoints that were there when the sync ended", async () => {
    const endpoint = await register();
    const other = await database.db.repository.create({
      data: { key: "someone/else", owner: "someone", name: "else", defaultBranch: "main" },
    });
    await registerWebhook(deps, {
      url: `${receiver.url}?other`,
      repository: "someone/else",
      allowPrivateTargets: true,
    });
    const previous = await database.db.projectSync.findFirstOrThrow({ where: { status: "succeeded" } });
    expect(await database.db.outboxEvent.count()).toBe(0);

    const removedPath = sim.repo.paths.at(-1) ?? "";
    const sync = await pushChanges({ "docs/new.md": "# new\n", [removedPath]: null });
    await registerWebhook(deps, { url: `${receiver.url}?late`, allowPrivateTargets: true });
    const attempts = await dispatcher.drain();

    expect(attempts).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [webhook] = receiver.received;
    expect(webhook?.verified).toBe(true);
    expect(webhook?.status).toBe(200);
    expect(webhook?.payload).toEqual({
      type: "sync.succeeded",
      timestamp: expect.any(String),
      data: {
        repository: { owner: OWNER, name: NAME, fullName: `${OWNER}/${NAME}`, githubId: 4242 },
        branch: "main",
        syncId: sync.id,
        previousSyncId: previous.id,
        headSha: head,
        trigger: "push",
        finishedAt: expect.any(String),
        syncUrl: `https://sync.example.com/syncs/${sync.id}`,
        counts: {
          added: 1,
          modified: 0,
          removed: expect.any(Number),
          renamed: 0,
          unchanged: expect.any(Number),
        },
        changesUrl: `https://sync.example.com/api/v1/syncs/${sync.id}/changes`,
        changedPathsTruncated: false,
        changedPaths: [
          { change: "added", path: "docs/new.md" },
          { change: "removed", path: removedPath },
        ].sort((a, b) => (a.path < b.path ? -1 : 1)),
      },
    });
    const { deliveries } = await listWebhookDeliveries(deps, endpoint.id);
    expect(deliveries).toEqual([
      expect.objectContaining({ status: "succeeded", attempts: 1, messageId: webhook?.id, syncId: sync.id }),
    ]);
    expect(deliveries[0]?.attemptLog).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 200, succeeded: true, responseBody: "ok" }),
    ]);
    await database.db.repository.delete({ where: { id: other.id } });
  }, 60_000);

  it("answers 500 then 200: retried 5 s later on the schedule, acknowledged exactly once", async () => {
    const endpoint = await register();
    receiver.setPlan((index) => (index === 0 ? 500 : 200));
    await pushChanges({ "a.txt": `a ${clock}\n` });

    expect(await dispatcher.drain()).toBe(1);
    const [waiting] = (await listWebhookDeliveries(deps, endpoint.id)).deliveries;
    expect(waiting).toEqual(
      expect.objectContaining({
        status: "pending",
        attempts: 1,
        lastStatusCode: 500,
        nextAttemptAt: new Date(clock + 5_000).toISOString(),
      }),
    );
    clock += 4_999;
    expect(await dispatcher.drain()).toBe(0);
    clock += 1;
    expect(await dispatcher.drain()).toBe(1);
    expect(await dispatcher.drain()).toBe(0);

    expect(receiver.received.map((entry) => entry.status)).toEqual([500, 200]);
    expect(receiver.received.every((entry) => entry.verified && entry.id === receiver.received[0]?.id)).toBe(
      true,
    );
    expect(receiver.acknowledged()).toHaveLength(1);
    const [done] = (await listWebhookDeliveries(deps, endpoint.id)).deliveries;
    expect(done?.status).toBe("succeeded");
    expect(done?.attemptLog.map((attempt) => [attempt.attempt, attempt.statusCode])).toEqual([
      [2, 200],
      [1, 500],
    ]);
  }, 60_000);

  it("retries on the Svix schedule, gives up after the eighth attempt, and is redeliverable by hand", async () => {
    const endpoint = await register();
    receiver.setPlan(() => 503);
    await pushChanges({ "b.txt": `b ${clock}\n` });

    const due: number[] = [];
    for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length; attempt += 1) {
      expect(await dispatcher.drain()).toBe(1);
      const [delivery] = (await listWebhookDeliveries(deps, endpoint.id)).deliveries;
      if (!delivery?.nextAttemptAt) break;
      const wait = Date.parse(delivery.nextAttemptAt) - clock;
      due.push(wait);
      clock += wait - 1;
      expect(await dispatcher.drain()).toBe(0);
      clock += 1;
    }

    expect(due).toEqual(RETRY_DELAYS_MS.slice(1));
    const [failed] = (await listWebhookDeliveries(deps, endpoint.id)).deliveries;
    expect(failed).toEqual(expect.objectContaining({ status: "failed", attempts: 8, nextAttemptAt: null }));
    expect(receiver.received).toHaveLength(8);

    receiver.setPlan(() => 204);
    await redeliverWebhook(deps, { endpointId: endpoint.id, deliveryId: failed?.id ?? "" });
    expect(await dispatcher.drain()).toBe(1);
    expect(receiver.received.at(-1)?.id).toBe(receiver.received[0]?.id);
    expect((await listWebhookDeliveries(deps, endpoint.id)).deliveries[0]).toEqual(
      expect.objectContaining({ status: "succeeded", attempts: 1 }),
    );
  }, 60_000);

  it("disables an endpoint that failed for 5 days, holds its deliveries, and sends them once enabled by hand", async () => {
    const endpoint = await register();
    receiver.setPlan(() => 500);
    await pushChanges({ "c.txt": `c ${clock}\n` });
    expect(await dispatcher.drain()).toBe(1);
    const since = await database.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(since.failingSince?.getTime()).toBe(clock);

    clock += 5 * 24 * 3_600_000;
    await pushChanges({ "c.txt": `c again ${clock}\n` });
    expect(await dispatcher.drain()).toBe(2);
    const disabled = await database.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled.disabledAt?.getTime()).toBe(clock);
    clock += 24 * 3_600_000;
    expect(await dispatcher.drain()).toBe(0);
    const before = receiver.received.length;
    await pushChanges({ "c.txt": `while disabled ${clock}\n` });
    expect(await database.db.outboxEvent.count({ where: { createdAt: new Date(clock) } })).toBe(0);

    receiver.setPlan(() => 200);
    const enabled = await enableWebhook(deps, endpoint.id);
    expect(enabled).toEqual(expect.objectContaining({ enabled: true, failingSince: null }));
    // the first event's retry and the second event's, both due while it was disabled
    expect(await dispatcher.drain()).toBe(2);
    expect(receiver.received.slice(before).map((entry) => entry.status)).toEqual([200, 200]);
  }, 60_000);

  it("sends sync.failed for a failed run and for a sync recorded failed at once, and branch.deleted", async () => {
    await register();
    await database.db.projectSync.deleteMany({ where: { branch: "gone" } });
    const missing = "0123456789abcdef0123456789abcdef01234567";
    clock += 1_000;
    const failedRun = await syncCommit(deps, {
      repository,
      commit: { sha: missing } as FakeCommit,
      branch: "feature",
    });
    const invalid = await enqueueSync(deps, {
      repository,
      branch: "main",
      trigger: "push",
      headSha: head,
      failWith: new AppError("CONFIG_INVALID", "The config is invalid."),
    });
    clock += 1_000;
    sim.sim.setBranch(OWNER, NAME, "gone", head);
    await syncCommit(deps, { repository, commit: { sha: head } as FakeCommit, branch: "gone" });
    clock += 1_000;
    const deleting = await enqueueSync(deps, {
      repository,
      branch: "gone",
      trigger: "push",
      deletesBranch: true,
      inline: true,
    });
    await executeSync(deps, { syncId: deleting.sync.id });

    await dispatcher.drain();

    const byType = (type: string) =>
      receiver.received.filter((entry) => entry.payload?.type === type).map((entry) => entry.payload?.data);
    expect(receiver.received.every((entry) => entry.verified)).toBe(true);
    expect(byType("sync.failed")).toHaveLength(2);
    expect(byType("sync.failed")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          syncId: failedRun.sync.id,
          branch: "feature",
          error: expect.objectContaining({ code: expect.any(String) }),
        }),
        expect.objectContaining({
          syncId: invalid.sync.id,
          error: { code: "CONFIG_INVALID", message: "The config is invalid." },
        }),
      ]),
    );
    expect(byType("branch.deleted")).toEqual([
      expect.objectContaining({
        syncId: deleting.sync.id,
        branch: "gone",
        previousSyncId: expect.any(String),
      }),
    ]);
    expect(byType("sync.succeeded").map((data) => data?.branch)).toEqual(["gone", "gone"]);
  }, 60_000);

  it("refuses the loopback receiver when private targets are not allowed: a failed attempt, nothing sent", async () => {
    const endpoint = await register();
    const strict = createWebhookDispatcher({
      db: database.db,
      log: silentLogger,
      now: deps.now,
      allowPrivateTargets: false,
    });
    await pushChanges({ "d.txt": `d ${clock}\n` });

    expect(await strict.drain()).toBe(1);

    expect(receiver.received).toHaveLength(0);
    const [delivery] = (await listWebhookDeliveries(deps, endpoint.id)).deliveries;
    expect(delivery).toEqual(
      expect.objectContaining({
        status: "pending",
        attempts: 1,
        lastStatusCode: null,
        lastError: expect.stringMatching(/WEBHOOK_ALLOW_PRIVATE_TARGETS/),
      }),
    );
  }, 60_000);

  it("keeps payloads under 20 KB: the changed paths are cut, with a link to the rest", async () => {
    await register();
    const changes: Record<string, string> = {};
    for (let index = 0; index < 150; index += 1)
      changes[`deep/${"x".repeat(180)}/${index}.txt`] = `${index} ${clock}\n`;
    const sync = await pushChanges(changes);

    await dispatcher.drain();

    const [webhook] = receiver.received;
    expect(Buffer.byteLength(webhook?.body ?? "")).toBeLessThan(MAX_PAYLOAD_BYTES + 1);
    const data = webhook?.payload?.data as {
      changedPaths: unknown[];
      changedPathsTruncated: boolean;
      changesUrl: string;
    };
    expect(data.changedPathsTruncated).toBe(true);
    expect(data.changedPaths.length).toBeGreaterThan(10);
    expect(data.changedPaths.length).toBeLessThan(150);
    expect(data.changesUrl).toBe(`https://sync.example.com/api/v1/syncs/${sync.id}/changes`);
  }, 60_000);
});
