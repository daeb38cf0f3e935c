// A queue worker in a process of its own, for the two-process test (test/queue/two-workers.test.ts): it runs queued
// syncs against DATABASE_URL and the simulator at SIM_API_URL until DONE_FILE exists and nothing is queued or running,
// then prints the ids of the syncs it ran as one JSON line. `node --import tsx test/queue/worker-process.ts`
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { createPrismaClient } from "../../src/db/create-prisma-client.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { silentLogger } from "../../src/logger.js";
import { createSyncWorker } from "../../src/queue/create-sync-worker.js";

const env = z
  .object({ DATABASE_URL: z.string().min(1), SIM_API_URL: z.url(), DONE_FILE: z.string().min(1) })
  .parse(process.env);
const db = createPrismaClient(env.DATABASE_URL, { poolSize: 4 });
const octokit = createOctokit({
  auth: "ghs_test",
  baseUrl: env.SIM_API_URL,
  retry: false,
  throttle: false,
  log: silentLogger,
});
const ran = new Set<string>();
const worker = createSyncWorker({
  deps: {
    db,
    githubFor: async () => octokit,
    now: () => new Date(),
    log: silentLogger,
    maxFileSizeBytes: 1 << 20,
  },
  concurrency: 2,
  pollIntervalMs: 5,
  hooks: { onEvent: (syncId) => ran.add(syncId) },
});

await db.$queryRaw`SELECT 1`;
process.stdout.write("ready\n");
for (;;) {
  await worker.runUntilIdle();
  const busy = await db.projectSync.count({
    where: { OR: [{ status: "queued", inline: false }, { status: "running" }] },
  });
  if (busy === 0 && existsSync(env.DONE_FILE)) break;
  await sleep(10);
}
await worker.stop();
await db.$disconnect();
process.stdout.write(`${JSON.stringify({ ran: [...ran] })}\n`);
