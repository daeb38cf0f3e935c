import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate-repository.js";
import { createPrismaClient, type Db } from "../../src/db/create-prisma-client.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { createSyncWorker } from "../../src/queue/create-sync-worker.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { enqueueSync } from "../../src/sync-record/enqueue-sync.js";
import { memoryOf, simulatorDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "../sim/use-simulator.js";

const BRANCHES = ["main", "one", "two", "three"];
const PUSHES = 5;

function treeAt(fixture: SimulatorFixture, sha: string) {
  return Object.fromEntries(
    gitTree(fixture, sha)
      .filter((entry) => entry.type !== "tree")
      .map((entry) => [entry.path, `${entry.mode} ${entry.sha}`]),
  );
}

/** Polls the database while workers run: any moment with two running syncs of one branch is recorded. */
function watchRunning(db: Db) {
  const doubles: string[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const rows = await db.$queryRaw<{ branch: string; running: bigint }[]>`
        SELECT branch, count(*) AS running FROM "ProjectSync" WHERE status = 'running'
        GROUP BY "repositoryId", branch HAVING count(*) > 1`;
      doubles.push(...rows.map((row) => row.branch));
      await sleep(5);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      return doubles;
    },
  };
}

/**
 * Several queue workers on one database — two in this process with separate connection pools, then two OS
 * processes — while bursts of pushes arrive on several branches: every branch ends at its newest head with memory
 * equal to git's tree, never two running syncs of one branch, nothing failed.
 */
describe("two workers on one database", () => {
  const fixture = useSimulator({ files: 120, seed: 9 });
  let database: TestDatabase;
  let deps: ServiceDeps;
  let repository: Repository;
  let chains: Map<string, string[]>;

  beforeAll(async () => {
    database = await createTestDatabase();
    chains = new Map();
    for (const [index, branch] of BRANCHES.entries()) {
      const chain: string[] = [];
      let parent = fixture.repo.headSha;
      for (let push = 1; push <= PUSHES; push += 1) {
        parent = await commitChanges({
          gitDir: fixture.repo.gitDir,
          parent,
          changes: { [`${branch}/pushed.txt`]: `${branch} ${push}\n`, [`shared-${index}.txt`]: `${push}\n` },
        });
        chain.push(parent);
      }
      chains.set(branch, chain);
    }
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    deps = simulatorDeps(database, fixture.address.apiUrl);
    await database.db.repository.deleteMany();
    repository = await ensureRepository(deps, `${OWNER}/${NAME}`);
    fixture.sim.setLatency(10);
  });

  /** Every branch gets PUSHES pushes, interleaved, each a webhook delivery with its `before`. */
  async function pushBursts(): Promise<void> {
    for (let push = 0; push < PUSHES; push += 1) {
      for (const branch of BRANCHES) {
        const chain = chains.get(branch) as string[];
        const headSha = chain[push] as string;
        fixture.sim.setBranch(OWNER, NAME, branch, headSha);
        await enqueueSync(deps, {
          repository,
          branch,
          trigger: "push",
          headSha,
          pushBefore: push === 0 ? fixture.repo.headSha : chain[push - 1],
          deliveryId: `${branch}-${push}`,
          checkRun: true,
        });
        await sleep(push * 3);
      }
    }
  }

  async function waitUntilIdle(): Promise<void> {
    for (;;) {
      const busy = await database.db.projectSync.count({
        where: { OR: [{ status: "queued", inline: false }, { status: "running" }] },
      });
      if (busy === 0) return;
      await sleep(20);
    }
  }

  async function expectEveryBranchAtItsNewestHead(): Promise<void> {
    const syncs = await database.db.projectSync.findMany();
    expect(syncs.filter((sync) => sync.status === "failed")).toEqual([]);
    expect(
      syncs.filter((sync) => sync.status === "cancelled").every((sync) => sync.errorCode === "SUPERSEDED"),
    ).toBe(true);
    for (const branch of BRANCHES) {
      const newest = (chains.get(branch) as string[])[PUSHES - 1] as string;
      const head = await database.db.projectSync.findFirst({
        where: { repositoryId: repository.id, branch, status: "succeeded" },
        orderBy: { generation: "desc" },
      });
      expect({ branch, head: head?.headSha }).toEqual({ branch, head: newest });
      expect(await memoryOf(deps, repository, branch)).toEqual(treeAt(fixture, newest));
    }
  }

  it("in one process with separate connection pools", async () => {
    const ranBy = new Map<string, Set<string>>();
    const pools = [
      createPrismaClient(database.url, { poolSize: 4 }),
      createPrismaClient(database.url, { poolSize: 4 }),
    ];
    const workers = pools.map((db, index) => {
      const ran = new Set<string>();
      ranBy.set(`worker-${index}`, ran);
      return createSyncWorker({
        deps: { ...deps, db },
        concurrency: 2,
        pollIntervalMs: 5,
        hooks: { onEvent: (syncId) => ran.add(syncId) },
      });
    });
    const watcher = watchRunning(database.db);
    try {
      for (const worker of workers) worker.start();

      await pushBursts();
      await waitUntilIdle();
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      await Promise.all(pools.map((db) => db.$disconnect()));
    }

    expect(await watcher.stop()).toEqual([]);
    await expectEveryBranchAtItsNewestHead();
    for (const ran of ranBy.values()) expect(ran.size).toBeGreaterThan(0);
  });

  it("in two OS processes", async () => {
    const doneFile = join(fixture.dir, `done-${Date.now()}`);
    const children = [0, 1].map(() => {
      const child = spawn(process.execPath, ["--import", "tsx", "test/queue/worker-process.ts"], {
        cwd: process.cwd(),
        env: {
          ...process.env,
          NODE_OPTIONS: "",
          DATABASE_URL: database.url,
          SIM_API_URL: fixture.address.apiUrl,
          DONE_FILE: doneFile,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on("data", () => {
          if (stdout.startsWith("ready\n")) resolve();
        });
        child.once("exit", () => reject(new Error(`worker exited before it was ready: ${stderr}`)));
      });
      const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        child.once("exit", (code) => resolve({ code, stdout, stderr }));
      });
      return { ready, exited };
    });
    const watcher = watchRunning(database.db);

    await Promise.all(children.map((child) => child.ready));
    await pushBursts();
    await writeFile(doneFile, "");
    const results = await Promise.all(children.map((child) => child.exited));

    expect(await watcher.stop()).toEqual([]);
    for (const result of results)
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    const ran = results.map((result) => JSON.parse(result.stdout.split("\n")[1] as string).ran as string[]);
    for (const ids of ran) expect(ids.length).toBeGreaterThan(0);
    expect(ran[0]?.filter((id) => ran[1]?.includes(id))).toEqual([]);
    await expectEveryBranchAtItsNewestHead();
  }, 120_000);
});
