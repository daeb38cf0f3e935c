// End to end, nock-free: the real app (startApp: Probot, webhooks, queue worker, check-run reporter) against the
// GitHub simulator, which pushes by moving branches and delivering signed webhooks, as GitHub does.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { type RunningApp, startApp } from "../../src/app/start-app.js";
import { loadEnv } from "../../src/config/env.js";
import { silentLogger } from "../../src/logger.js";
import { memoryOf, serviceDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { api, gitTree, NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

const SECRET = "e2e-webhook-secret";
const PUBLIC_URL = "https://sync.example.test";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs1",
  format: "pem",
}) as string;
const TERMINAL = ["succeeded", "failed", "cancelled"] as const;

type CheckRun = {
  id: number;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url?: string;
  external_id?: string;
  output?: { title?: string; summary?: string };
};

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}`, import.meta.url), "utf8"));
}

describe("the GitHub App end to end on the simulator", () => {
  const sim = useSimulator({ files: 120, seed: 11 });
  let database: TestDatabase;
  let app: RunningApp;
  let head: string;

  async function start(): Promise<void> {
    app = await startApp({
      env: loadEnv({
        DATABASE_URL: database.url,
        PORT: "0",
        HOST: "127.0.0.1",
        APP_ID: "1",
        PRIVATE_KEY,
        WEBHOOK_SECRET: SECRET,
        ...sim.address.ghe,
        PUBLIC_URL,
        SYNC_CONCURRENCY: "2",
        LOG_LEVEL: "fatal",
        NODE_ENV: "test",
      }),
      log: silentLogger,
    });
    sim.sim.setWebhookTarget({ url: `${app.url}/api/github/webhooks`, secret: SECRET });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await start();
    head = sim.repo.headSha;
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  const deps = () => serviceDeps(database);
  const repository = () =>
    database.db.repository.findUniqueOrThrow({ where: { key: `${OWNER}/${NAME}`.toLowerCase() } });

  /**
   * Waits until every delivery in the inbox was processed, no sync is queued or running, and GitHub shows every
   * sync's end (check runs, reactions).
   */
  async function quiet(): Promise<void> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const inbox = await database.db.webhookDelivery.count({
        where: { status: { in: ["pending", "processing"] } },
      });
      const busy =
        inbox +
        (await database.db.projectSync.count({
          where: {
            OR: [
              { status: { in: ["queued", "running"] } },
              { checkRunState: { in: ["pending", "creating"] }, headSha: { not: null } },
              { checkRunState: "open", status: { in: [...TERMINAL] } },
              { commentId: { not: null }, commentReactedAt: null, status: { in: [...TERMINAL] } },
            ],
          },
        }));
      if (busy === 0) return;
      if (Date.now() > deadline) {
        const rows = await database.db.projectSync.findMany({
          select: { id: true, status: true, checkRunState: true, headSha: true, error: true },
        });
        throw new Error(`the app did not settle: ${JSON.stringify(rows)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function expectMemoryAt(commit: string, branch = "main"): Promise<void> {
    const expected: Record<string, string> = {};
    for (const entry of gitTree(sim, commit)) {
      if (entry.type !== "tree") expected[entry.path] = `${entry.mode} ${entry.sha}`;
    }
    expect(await memoryOf(deps(), await repository(), branch)).toEqual(expected);
  }

  async function checkRun(id: bigint | null): Promise<CheckRun> {
    expect(id).not.toBeNull();
    const response = await api(sim, `/repos/${OWNER}/${NAME}/check-runs/${id}`);
    return response.json as CheckRun;
  }

  async function push(changes: Parameters<typeof commitChanges>[0]["changes"], seed: number) {
    head = await commitChanges({ gitDir: sim.repo.gitDir, parent: head, changes, seed });
    return sim.sim.push(OWNER, NAME, "main", head, { sender: "alice" });
  }

  it("finds the installation at start-up and syncs the default branch", async () => {
    // reconcile runs in the background at start-up: it lists the installations and queues a first sync
    await waitForAsync(async () => (await database.db.projectSync.count()) > 0, 30_000);
    await quiet();
    const repo = await repository();
    expect(repo).toMatchObject({ githubId: 4242n, installationId: 1n, active: true, defaultBranch: "main" });
    const syncs = await database.db.projectSync.findMany();
    expect(syncs).toEqual([expect.objectContaining({ trigger: "reconcile", status: "succeeded" })]);
    await expectMemoryAt(head);
  });

  it("syncs a push at its head and reports it as a completed check run linking to the sync's page", async () => {
    const delivery = await push({ modify: 3, add: 2, remove: 1, rename: 1 }, 21);
    expect(delivery.status).toBe(202);
    await quiet();

    const sync = await database.db.projectSync.findUniqueOrThrow({ where: { deliveryId: delivery.id } });
    expect(sync).toMatchObject({ status: "succeeded", headSha: head, trigger: "push", requestedBy: "alice" });
    await expectMemoryAt(head);
    const run = await checkRun(sync.checkRunId);
    expect(run).toMatchObject({
      head_sha: head,
      status: "completed",
      conclusion: "success",
      external_id: sync.id,
      details_url: `${PUBLIC_URL}/syncs/${sync.id}`,
    });
    expect(run.output?.summary).toContain(sync.id);
  });

  it("coalesces a burst of pushes, never runs a redelivery twice, and completes every check run", async () => {
    const deliveries = [];
    for (const seed of [31, 32, 33, 34]) deliveries.push(await push({ modify: 2, add: 1 }, seed));
    const last = deliveries.at(-1) as (typeof deliveries)[number];
    const again = await sim.sim.deliver("push", last.payload, { id: last.id });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ status: "duplicate" });
    await quiet();

    await expectMemoryAt(head);
    const syncs = await database.db.projectSync.findMany({
      where: { deliveryId: { in: deliveries.map((delivery) => delivery.id) } },
      orderBy: { createdAt: "asc" },
    });
    expect(syncs).toHaveLength(4);
    expect(syncs.at(-1)).toMatchObject({ status: "succeeded", headSha: head });
    for (const sync of syncs) {
      expect(["succeeded", "cancelled"]).toContain(sync.status);
      // a sync superseded before it ran needs no check run (the pull request shows the newest head's)
      if (sync.startedAt === null) {
        expect(sync).toMatchObject({ status: "cancelled", checkRunId: null, checkRunState: null });
        continue;
      }
      const run = await checkRun(sync.checkRunId);
      expect(run.status).toBe("completed");
      expect(run.conclusion).toBe(sync.status === "succeeded" ? "success" : "neutral");
    }
  });

  it("syncs a new branch, a force push of it, and retires its memory when it is deleted", async () => {
    const feature = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: head,
      changes: { add: 3 },
      seed: 41,
    });
    expect((await sim.sim.push(OWNER, NAME, "feature", feature)).payload).toMatchObject({ created: true });
    await quiet();
    await expectMemoryAt(feature, "feature");

    const rewritten = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: head,
      changes: { modify: 4 },
      orphan: true,
      seed: 42,
    });
    expect((await sim.sim.push(OWNER, NAME, "feature", rewritten)).payload).toMatchObject({ forced: true });
    await quiet();
    await expectMemoryAt(rewritten, "feature");

    const deleted = await sim.sim.push(OWNER, NAME, "feature", null);
    await quiet();
    const retire = await database.db.projectSync.findUniqueOrThrow({ where: { deliveryId: deleted.id } });
    expect(retire).toMatchObject({ status: "succeeded", deletesBranch: true, checkRunId: null });
    expect(await memoryOf(deps(), await repository(), "feature")).toEqual({});
    await expectMemoryAt(head);
  });

  it("runs `/sync full` from a collaborator with reactions, and refuses a reader", async () => {
    const comment = (id: number, login: string, body: string) => {
      const payload = fixture("issue_comment.created.json") as {
        comment: Record<string, unknown>;
        sender: Record<string, unknown>;
      };
      return {
        ...payload,
        repository: sim.sim.repositoryPayload(OWNER, NAME),
        installation: { id: 1 },
        comment: { ...payload.comment, id, body, user: { login, id: id + 1, type: "User" } },
        sender: { login, id: id + 1, type: "User" },
      };
    };
    sim.sim.setPermission(OWNER, NAME, "reader", "read");
    sim.sim.clearRecorded();

    const accepted = await sim.sim.deliver("issue_comment", comment(5001, "alice", "/sync full"));
    const refused = await sim.sim.deliver("issue_comment", comment(5002, "reader", "/sync"));
    expect([accepted.status, refused.status]).toEqual([202, 202]);
    await quiet();

    const sync = await database.db.projectSync.findUniqueOrThrow({ where: { deliveryId: accepted.id } });
    expect(sync).toMatchObject({ trigger: "comment", full: true, status: "succeeded", commentId: 5001n });
    expect(await database.db.projectSync.count({ where: { deliveryId: refused.id } })).toBe(0);
    await expectMemoryAt(head);
    await waitFor(() => reactions(5001).length >= 2 && reactions(5002).length >= 1 && replies().length >= 1);
    expect(reactions(5001)).toEqual(["eyes", "rocket"]);
    expect(reactions(5002)).toEqual(["confused"]);
    expect(replies()).toEqual([expect.stringContaining("@reader")]);
  });

  it("ends at the newest head when a burst's deliveries arrive newest, oldest, middle", async () => {
    const base = head;
    const commits: string[] = [];
    for (const seed of [61, 62, 63]) {
      commits.push(
        await commitChanges({
          gitDir: sim.repo.gitDir,
          parent: commits.at(-1) ?? base,
          changes: { modify: 2, add: 1 },
          seed,
        }),
      );
    }
    const [c1, c2, c3] = commits as [string, string, string];
    head = c3;
    sim.sim.setBranch(OWNER, NAME, "main", c3);
    // the three pushes happened within one second of GitHub's clock; their deliveries were not in order
    const pushedAt = Math.floor(Date.now() / 1000);
    const payload = (before: string, after: string) => ({
      ref: "refs/heads/main",
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      commits: [{ id: after, added: [], modified: [], removed: [] }],
      repository: { ...sim.sim.repositoryPayload(OWNER, NAME), pushed_at: pushedAt },
      installation: { id: 1 },
      sender: { login: "alice", type: "User" },
    });

    for (const [before, after] of [
      [c2, c3],
      [base, c1],
      [c1, c2],
    ] as const) {
      expect((await sim.sim.deliver("push", payload(before, after))).status).toBe(202);
    }
    await quiet();

    await expectMemoryAt(c3);
    const newest = await database.db.projectSync.findFirstOrThrow({
      where: { trigger: "push", pushBefore: c2, headSha: c3 },
    });
    expect(newest.status).toBe("succeeded");
  });

  it("resyncs on the check run's Full resync button", async () => {
    const last = await database.db.projectSync.findFirstOrThrow({
      where: { checkRunId: { not: null }, status: "succeeded" },
      orderBy: { createdAt: "desc" },
    });
    const payload = fixture("check_run.requested_action.json") as { check_run: Record<string, unknown> };
    const event = {
      ...payload,
      repository: sim.sim.repositoryPayload(OWNER, NAME),
      installation: { id: 1 },
      check_run: {
        ...payload.check_run,
        id: Number(last.checkRunId),
        head_sha: head,
        name: "Project Sync",
        app: { id: 1, slug: "project-sync-sim" },
        check_suite: { id: 5, head_branch: "main", head_sha: head, app: { id: 1 } },
      },
    };

    const delivery = await sim.sim.deliver("check_run", event);
    await quiet();

    const sync = await database.db.projectSync.findUniqueOrThrow({ where: { deliveryId: delivery.id } });
    expect(sync).toMatchObject({ trigger: "rerequest", full: true, status: "succeeded", headSha: head });
    expect((await checkRun(sync.checkRunId)).conclusion).toBe("success");
    await expectMemoryAt(head);
  });

  it("catches up a push it never heard of (GitHub does not redeliver) when it starts again", async () => {
    await app.stop();
    head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: head,
      changes: { modify: 2, add: 1 },
      seed: 51,
    });
    sim.sim.setBranch(OWNER, NAME, "main", head); // the push happens while the app is down: no webhook reaches it

    await start();
    await waitForAsync(
      async () =>
        (await database.db.projectSync.count({ where: { trigger: "reconcile", headSha: head } })) > 0,
      30_000,
    );
    await quiet();

    const sync = await database.db.projectSync.findFirstOrThrow({
      where: { trigger: "reconcile", headSha: head },
    });
    expect(sync.status).toBe("succeeded");
    expect((await checkRun(sync.checkRunId)).conclusion).toBe("success");
    await expectMemoryAt(head);
  }, 60_000);

  it("left no check run of any sync unfinished", async () => {
    const syncs = await database.db.projectSync.findMany({ where: { checkRunId: { not: null } } });
    expect(syncs.length).toBeGreaterThan(5);
    for (const sync of syncs) expect((await checkRun(sync.checkRunId)).status).toBe("completed");
  });

  function replies(): string[] {
    return sim.sim.recorded
      .filter((write) => write.route.endsWith("/issues/{issue_number}/comments"))
      .map((write) => (write.body as { body: string }).body);
  }

  function reactions(commentId: number): string[] {
    return sim.sim.recorded
      .filter((write) => write.route.endsWith("/reactions") && write.params.comment_id === String(commentId))
      .map((write) => (write.body as { content: string }).content);
  }
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
