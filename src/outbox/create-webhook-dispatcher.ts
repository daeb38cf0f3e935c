import { type BackgroundLoop, createBackgroundLoop } from "../create-background-loop.js";
import { claimOutboxDeliveries } from "./claim-outbox-deliveries.js";
import { type DeliverOptions, deliverOutboxDelivery } from "./deliver-outbox-delivery.js";
import { OUTBOX_RETENTION_MS, pruneOutbox } from "./prune-outbox.js";

/** Sends the outbox's due deliveries, in this process, alongside any other process's dispatcher. */
/** wake(): look for due deliveries now (a sync just ended, a delivery was redelivered); drain(): send until nothing is
 * due (tests, the bench), returning how many attempts it made */
export type WebhookDispatcher = BackgroundLoop;

export type CreateWebhookDispatcherOptions = DeliverOptions & {
  /** this process's presence key, recorded on what it takes */
  presenceKey?: () => number | null;
  /** deliveries taken at once (default 10) */
  batchSize?: number;
  /** the backstop: how often an idle dispatcher looks (default 2 s); wake() is the fast path */
  pollMs?: number;
};

// Longer than a request's timeout: a hung process's deliveries are taken over after this (a killed one's at once).
const LEASE_MS = 60_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * The outbox's dispatcher: batch after batch of due deliveries (sent concurrently), then a look every `pollMs`, or
 * at once when woken; once an hour it deletes what is older than 30 days and done (a sync's end reaches every process through LISTEN/NOTIFY). Any number of processes share the
 * work; each delivery is sent at least once, and again after a crash between sending and recording (same
 * `webhook-id`).
 * @example const dispatcher = createWebhookDispatcher({ db, log, now, allowPrivateTargets: false }); dispatcher.start();
 */
export function createWebhookDispatcher(options: CreateWebhookDispatcherOptions): WebhookDispatcher {
  const batchSize = options.batchSize ?? 10;
  const pollMs = options.pollMs ?? 2_000;
  let prunedAt = 0;

  const step = async (isStopped: () => boolean): Promise<number> => {
    let attempts = 0;
    const now = options.now().getTime();
    if (now - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = now;
      await pruneOutbox(options.db, { before: new Date(now - OUTBOX_RETENTION_MS) });
    }
    for (;;) {
      const claimed = await claimOutboxDeliveries(options.db, {
        now: options.now(),
        leaseMs: LEASE_MS,
        limit: batchSize,
        presenceKey: options.presenceKey?.() ?? null,
      });
      await Promise.all(claimed.map((delivery) => deliverOutboxDelivery(options, delivery)));
      attempts += claimed.length;
      if (claimed.length < batchSize || isStopped()) return attempts;
    }
  };

  return createBackgroundLoop({ step, log: options.log, what: "Sending webhooks", idleMs: pollMs });
}
