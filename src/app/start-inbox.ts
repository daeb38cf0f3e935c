import { randomUUID } from "node:crypto";
import type { Probot } from "probot";
import type { Env } from "../config/env.js";
import type { Database } from "../db/connect-database.js";
import type { ProcessPresence } from "../db/create-process-presence.js";
import type { TaskTracker } from "../handlers/create-task-tracker.js";
import { createInboxProcessor, type InboxProcessor } from "../inbox/create-inbox-processor.js";
import { createRedeliveryTrigger } from "../inbox/create-redelivery-trigger.js";
import { createWebhookIntake } from "../inbox/create-webhook-intake.js";
import { createInboxStore } from "../inbox/inbox-store.js";
import { pruneDeliveries } from "../inbox/prune-deliveries.js";
import { type AppRequestClient, redeliverFailedDeliveries } from "../inbox/redeliver-failed-deliveries.js";
import type { Logger } from "../logger.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import { webhookEvents } from "./webhook-events.js";

// Processed deliveries past their retention are deleted this often.
const PRUNE_MS = 10 * 60 * 1000;

export type StartInboxOptions = {
  env: Pick<Env, "WEBHOOK_PATH" | "WEBHOOK_SECRET" | "WEBHOOK_RETENTION_DAYS">;
  log: Logger;
  database: Database;
  metrics: AppMetrics;
  presence: ProcessPresence;
  tasks: TaskTracker;
  /** the app's Probot, its handlers loaded: stored deliveries go through `probot.receive` */
  probot: Probot;
};

export type Inbox = {
  intake: ReturnType<typeof createWebhookIntake>;
  processor: InboxProcessor;
  start: () => void;
  stop: () => Promise<void>;
};

/**
 * Webhooks through the inbox: the intake stores each signed delivery and answers; the processor runs stored ones
 * through Probot's handlers (in any process sharing the database); failed deliveries GitHub could not bring are asked
 * again; processed ones are pruned after their retention.
 */
export function startInbox(options: StartInboxOptions): Inbox {
  const { env, log, database, metrics, presence, tasks, probot } = options;
  const { db } = database;
  const store = createInboxStore({
    databaseUrl: database.url,
    onIdleError: (error) => log.warn(`An idle inbox connection failed: ${error.message}`),
  });
  // one holder per process: a lease its failed release left behind (the database went away) is its own to take again
  const redeliveryHolder = randomUUID();
  const redelivery = createRedeliveryTrigger({
    log,
    scan: async ({ notBefore }) =>
      redeliverFailedDeliveries({
        notBefore,
        db,
        client: (await probot.auth()) as unknown as AppRequestClient,
        log,
        now: () => new Date(),
        holder: redeliveryHolder,
        presenceKey: presence.key,
        metrics,
      }),
    // the database's return is noticed even when no delivery and no inbox poll touches it in between
    probe: () => db.$queryRaw`SELECT 1`,
  });
  const processor = createInboxProcessor({
    db,
    log,
    metrics,
    presence,
    handle: (delivery) => probot.receive(delivery as Parameters<Probot["receive"]>[0]),
    onDatabase: (reachable) => redelivery.onDatabase(reachable),
  });
  const intake = createWebhookIntake({
    path: env.WEBHOOK_PATH,
    secret: env.WEBHOOK_SECRET ?? "",
    store,
    events: webhookEvents,
    log,
    metrics,
    onStored: () => processor.wake(),
    onDatabase: (reachable) => redelivery.onDatabase(reachable),
  });
  const retentionMs = env.WEBHOOK_RETENTION_DAYS * 24 * 60 * 60 * 1000;
  const prune = () =>
    tasks.run("Prune processed deliveries", async () => {
      const pruned = await pruneDeliveries(db, { now: new Date(), retentionMs });
      if (pruned > 0) log.info(`Pruned ${pruned} processed webhook deliveries`);
    });
  let timer: NodeJS.Timeout | undefined;
  return {
    intake,
    processor,
    start() {
      processor.start();
      redelivery.start();
      prune();
      timer = setInterval(prune, PRUNE_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await redelivery.stop();
      await processor.stop();
      await store.close();
    },
  };
}
