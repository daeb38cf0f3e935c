import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { Repository } from "../../src/generated/prisma/client.js";
import { silentLogger } from "../../src/logger.js";
import { enqueueSync } from "../../src/sync-record/enqueue-sync.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

// Whatever order GitHub's deliveries of a branch's pushes arrive in — redelivered, force pushes and pushes back to an
// earlier head mixed in, several pushes within one second of GitHub's clock, syncs starting and ending in between —
// the last sync to finish leaves memory at the branch's newest head. The queue is the real one (enqueueSync on a real
// PostgreSQL); a sync's run is reduced to what decides memory's head: the head it names, or, when its order could not
// be told (verifyHead), the head GitHub has when it runs.

type Push = { id: string; before: string; after: string; pushedAt: Date };
type Step = { kind: "deliver"; push: Push } | { kind: "start" } | { kind: "finish" };

const ZERO = "0".repeat(40);
const sha = (n: number) => n.toString(16).padStart(40, "a");

describe("pushes delivered in any order: memory ends at the newest head", () => {
  let database: TestDatabase;
  let repository: Repository;
  let run = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    repository = await database.db.repository.create({
      data: {
        key: "octo/order",
        owner: "octo",
        name: "order",
        defaultBranch: "main",
        githubId: 77n,
        installationId: 1n,
      },
    });
  });
  afterAll(async () => {
    await database.drop();
  });

  /** A branch's history: each push continues from the head before it, to a new commit or back to an earlier one. */
  const history = fc
    .record({
      count: fc.integer({ min: 1, max: 5 }),
      // per push: 0 a new commit, 1 a force push back to an earlier head (a cycle in before/after)
      backs: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 }),
      // per push: seconds after the previous one on GitHub's clock (0: the same second)
      gaps: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }),
      // per delivery: its place in the arrival order; some deliveries come twice (a redelivery)
      order: fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
      redeliver: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      // after each delivery, whether the worker starts a sync, or finishes the one it runs
      worker: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 10, maxLength: 10 }),
    })
    .map(({ count, backs, gaps, order, redeliver, worker }) => {
      const pushes: Push[] = [];
      const heads = [sha(1)];
      let time = Date.UTC(2026, 11, 5, 12, 0, 0);
      for (let index = 0; index < count; index += 1) {
        const before = heads.at(-1) as string;
        const back = (backs[index] ?? 0) === 1 && heads.length > 1;
        const after = back ? (heads[heads.length - 2] as string) : sha(100 + index);
        time += (gaps[index] ?? 1) * 1000;
        pushes.push({ id: `push-${index}`, before, after, pushedAt: new Date(time) });
        heads.push(after);
      }
      const deliveries = [...pushes, ...pushes.filter((_, index) => redeliver[index])];
      const arrival = deliveries
        .map((push, index) => ({ push, key: order[index] ?? index }))
        .sort((a, b) => a.key - b.key || a.push.id.localeCompare(b.push.id))
        .map(({ push }) => push);
      const steps: Step[] = [];
      arrival.forEach((push, index) => {
        steps.push({ kind: "deliver", push });
        const action = worker[index] ?? 0;
        if (action === 1) steps.push({ kind: "start" });
        if (action === 2) steps.push({ kind: "finish" });
      });
      return { pushes, steps, newest: heads.at(-1) as string };
    });

  it("holds for every arrival order of up to 5 pushes", async () => {
    await fc.assert(
      fc.asyncProperty(history, async ({ steps, newest }) => {
        const branch = `b${run++}`;
        let memory: string | null = null;
        const start = async () => {
          const running = await database.db.projectSync.findFirst({ where: { branch, status: "running" } });
          if (running) return;
          const next = await database.db.projectSync.findFirst({
            where: { branch, status: "queued" },
            orderBy: { createdAt: "asc" },
          });
          if (next) {
            await database.db.projectSync.update({
              where: { id: next.id },
              data: { status: "running", startedAt: new Date() },
            });
          }
        };
        const finish = async () => {
          const running = await database.db.projectSync.findFirst({ where: { branch, status: "running" } });
          if (!running) return;
          // GitHub's head when the sync runs is the newest: every push happened before its delivery arrived
          memory = running.verifyHead ? newest : running.headSha;
          await database.db.projectSync.update({
            where: { id: running.id },
            data: { status: "succeeded", finishedAt: new Date(), headSha: memory },
          });
        };
        for (const step of steps) {
          if (step.kind === "deliver") {
            await enqueueSync(
              { db: database.db, now: () => new Date(), log: silentLogger },
              {
                repository,
                branch,
                trigger: "push",
                headSha: step.push.after,
                pushBefore: step.push.before === ZERO ? ZERO : step.push.before,
                pushedAt: step.push.pushedAt,
                deliveryId: `${branch}:${step.push.id}`,
                checkRun: true,
              },
            );
          } else if (step.kind === "start") await start();
          else await finish();
        }
        // drain: run what is left, one sync at a time, as the worker does
        for (let guard = 0; guard < 20; guard += 1) {
          await finish();
          await start();
          if (
            (await database.db.projectSync.count({
              where: { branch, status: { in: ["queued", "running"] } },
            })) === 0
          ) {
            break;
          }
        }
        expect(memory).toBe(newest);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it("newest, oldest, middle (the order that left memory at the middle head)", async () => {
    const branch = "three";
    const at = (second: number) => new Date(Date.UTC(2026, 11, 5, 13, 0, second));
    const deliver = (before: string, after: string, second: number) =>
      enqueueSync(
        { db: database.db, now: () => new Date(), log: silentLogger },
        {
          repository,
          branch,
          trigger: "push",
          headSha: after,
          pushBefore: before,
          pushedAt: at(second),
          deliveryId: `${branch}:${after}`,
        },
      );

    const newest = await deliver(sha(3), sha(4), 3);
    const oldest = await deliver(sha(1), sha(2), 1);
    const middle = await deliver(sha(2), sha(3), 2);

    expect([newest.sync.status, oldest.sync.status, middle.sync.status]).toEqual([
      "queued",
      "cancelled",
      "cancelled",
    ]);
    expect([oldest.sync.supersededById, middle.sync.supersededById]).toEqual([
      newest.sync.id,
      newest.sync.id,
    ]);
  });
});
