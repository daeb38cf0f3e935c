// `npx tsx bench/load/measure-inbox.ts [--deliveries 4000] [--branches 16]`: the inbox processor alone — stored push
// deliveries run through the app's real handlers, queue and reporter (no GitHub: check runs are skipped), no worker —
// so its throughput is measured apart from the HTTP intake and the syncs. Prints deliveries per second.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createGitHubAppMiddleware } from "../../src/app/create-github-app-middleware.js";
import { createSyncReporter } from "../../src/checks/create-sync-reporter.js";
import { loadEnv } from "../../src/config/env.js";
import { applyMigrations } from "../../src/db/apply-migrations.js";
import { createPrismaClient } from "../../src/db/create-prisma-client.js";
import { startEmbeddedPostgres } from "../../src/db/start-embedded-postgres.js";
import { createTaskTracker } from "../../src/handlers/create-task-tracker.js";
import { createInboxProcessor } from "../../src/inbox/create-inbox-processor.js";
import { createInboxStore } from "../../src/inbox/inbox-store.js";
import { createStderrLogger, silentLogger } from "../../src/logger.js";

const { values } = parseArgs({
  options: { deliveries: { type: "string", default: "4000" }, branches: { type: "string", default: "16" } },
});
const total = Number(values.deliveries);
const branches = Number(values.branches);
const root = await mkdtemp(path.join(os.tmpdir(), "project-sync-inbox-"));
await chmod(root, 0o755);
const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
try {
  await applyMigrations(postgres.url);
  const db = createPrismaClient(postgres.url);
  const now = () => new Date();
  const service = { db, githubFor: async () => null, now, log: silentLogger, maxFileSizeBytes: 1 << 20 };
  const reporter = createSyncReporter({ db, githubFor: async () => null, log: silentLogger, now });
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  });
  const env = loadEnv({
    APP_ID: "1",
    PRIVATE_KEY: String(privateKey),
    WEBHOOK_SECRET: "s",
    LOG_LEVEL: "fatal",
  });
  const tasks = createTaskTracker(silentLogger);
  const github = await createGitHubAppMiddleware({
    env,
    log: silentLogger,
    deps: { service, reporter, worker: { wake() {} }, tasks },
  });
  const probot = github.probot;
  if (!probot) throw new Error("no Probot");
  // known, with its config read: a push then costs no GitHub request (this measurement has no GitHub)
  await db.repository.create({
    data: {
      githubId: 4242n,
      key: "octo/big",
      owner: "octo",
      name: "big",
      defaultBranch: "main",
      installationId: 1n,
      configLoadedAt: new Date(),
    },
  });
  const store = createInboxStore({ databaseUrl: postgres.url });
  const heads = Array.from({ length: branches }, () => sha());
  for (let i = 0; i < total; i += 1) {
    const branch = i % branches;
    const before = heads[branch] as string;
    const after = sha();
    heads[branch] = after;
    const payload = {
      ref: `refs/heads/b${branch}`,
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      commits: [{ id: after, added: [], modified: [`src/f${i % 50}.ts`], removed: [] }],
      repository: { id: 4242, name: "big", owner: { login: "octo" }, default_branch: "main", private: false },
      installation: { id: 1 },
      sender: { login: "alice" },
    };
    await store.insert({
      id: randomUUID(),
      event: "push",
      action: null,
      installationId: 1,
      repositoryGithubId: 4242,
      payload: JSON.stringify(payload),
      receivedAt: new Date(Date.now() - (total - i)),
    });
  }
  const processor = createInboxProcessor({
    db,
    log: process.env.DEBUG ? createStderrLogger({ debug: true }) : silentLogger,
    handle: (delivery) => probot.receive(delivery as Parameters<typeof probot.receive>[0]),
  });
  const started = performance.now();
  processor.start();
  await processor.runUntilIdle();
  const seconds = (performance.now() - started) / 1000;
  await processor.stop();
  reporter.stop?.();
  const syncs = await db.projectSync.count();
  process.stdout.write(
    `${total} deliveries (${branches} branches) in ${seconds.toFixed(1)} s: ${(total / seconds).toFixed(0)} deliveries/s; ${syncs} syncs recorded\n`,
  );
  await store.close();
  await db.$disconnect();
} finally {
  await postgres.stop();
  await rm(root, { recursive: true, force: true });
}

function sha(): string {
  return Array.from({ length: 40 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
}
