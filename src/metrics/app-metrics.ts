import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { InboxSummary } from "../inbox/read-inbox-summary.js";
import type { QueueSummary } from "../queue/read-queue-summary.js";

/** Readings taken from the database at scrape time (shared by every process, so any process reports them). */
export type DatabaseReadings = { inbox: InboxSummary; queue: QueueSummary };

/**
 * Every metric the app exports at `/metrics`, on a registry of its own (several apps in one test process never
 * share counters). Labels are bounded sets (event names, outcomes, phases, route templates); never repository or
 * branch names, whose number has no bound.
 */
export type AppMetrics = {
  registry: Registry;
  /** webhook deliveries answered, by event and outcome (accepted, duplicate, ignored, bad_signature, …) */
  deliveries: Counter<"event" | "outcome">;
  /** from the first byte of a delivery to its answer */
  ackSeconds: Histogram<"outcome">;
  /** inbox deliveries handled, by event and result (processed, retried, parked) */
  inboxHandled: Counter<"event" | "result">;
  /** failed deliveries this app asked GitHub to send again */
  redeliveries: Counter<"result">;
  /** syncs that ended in this process, by trigger and status */
  syncs: Counter<"trigger" | "status">;
  /** time spent in each phase of the syncs this process ran */
  phaseSeconds: Histogram<"phase">;
  /** from a push delivery's arrival to the commit of the sync that put its head (or a newer one) in memory */
  pushToMemorySeconds: Histogram<string>;
  /** GitHub requests made, by method, route template and status (0: no answer) */
  githubRequests: Counter<"method" | "route" | "status">;
  /** the rate limit left after the newest GitHub answer, by resource (core, graphql, …) */
  githubRateLimitRemaining: Gauge<"resource">;
  /** rows written into memory by finished syncs, by table and operation (insert, supersede) */
  rowsWritten: Counter<"table" | "operation">;
  /** check-run and reaction writes, by kind and result (written, deferred, failed) */
  githubWrites: Counter<"kind" | "result">;
};

export type CreateAppMetricsOptions = {
  /** the database readings for the inbox and queue gauges; absent: those gauges stay at 0 */
  readDatabase?: () => Promise<DatabaseReadings>;
  /** process metrics (CPU, memory, event loop lag); default true */
  defaultMetrics?: boolean;
};

const PREFIX = "project_sync_";
// Acknowledgements are milliseconds; GitHub gives up at 10 s.
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
// Readings are a handful of indexed counts; a scrape every few seconds from several scrapers still costs one read.
const READINGS_TTL_MS = 2_000;

/**
 * Creates the app's metrics. The inbox and queue gauges read the database when scraped (cached for two seconds).
 * @example const metrics = createAppMetrics({ readDatabase: () => readDatabaseGauges(db) });
 */
export function createAppMetrics(options: CreateAppMetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const readings = cachedReadings(options.readDatabase);
  const databaseGauge = (name: string, help: string, pick: (reading: DatabaseReadings) => number) =>
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      registers: [registry],
      async collect() {
        const reading = await readings();
        if (reading) this.set(pick(reading));
      },
    });
  new Gauge({
    name: `${PREFIX}inbox_deliveries`,
    help: "Webhook deliveries in the inbox, by status (pending, processing, parked)",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const reading = await readings();
      if (!reading) return;
      this.set({ status: "pending" }, reading.inbox.pending);
      this.set({ status: "processing" }, reading.inbox.processing);
      this.set({ status: "parked" }, reading.inbox.parked);
    },
  });
  databaseGauge(
    "inbox_oldest_pending_seconds",
    "Age of the oldest delivery not yet processed (0 when none)",
    (reading) => reading.inbox.oldestPendingSeconds,
  );
  new Gauge({
    name: `${PREFIX}queue_syncs`,
    help: "Syncs in the queue, by status (queued, running)",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const reading = await readings();
      if (!reading) return;
      this.set({ status: "queued" }, reading.queue.queued);
      this.set({ status: "running" }, reading.queue.running);
    },
  });
  databaseGauge(
    "queue_oldest_queued_seconds",
    "Age of the oldest queued sync that may run now (0 when none)",
    (reading) => reading.queue.oldestQueuedSeconds,
  );

  return {
    registry,
    deliveries: new Counter({
      name: `${PREFIX}webhook_deliveries_total`,
      help: "Webhook deliveries answered, by event and outcome",
      labelNames: ["event", "outcome"],
      registers: [registry],
    }),
    ackSeconds: new Histogram({
      name: `${PREFIX}webhook_ack_seconds`,
      help: "Time from a delivery's arrival to its answer, by outcome",
      labelNames: ["outcome"],
      buckets: ACK_BUCKETS,
      registers: [registry],
    }),
    inboxHandled: new Counter({
      name: `${PREFIX}inbox_handled_total`,
      help: "Inbox deliveries handled by this process, by event and result (processed, retried, parked)",
      labelNames: ["event", "result"],
      registers: [registry],
    }),
    redeliveries: new Counter({
      name: `${PREFIX}webhook_redeliveries_total`,
      help: "Failed deliveries this app asked GitHub to redeliver, by result (requested, failed)",
      labelNames: ["result"],
      registers: [registry],
    }),
    syncs: new Counter({
      name: `${PREFIX}syncs_total`,
      help: "Syncs that ended in this process, by trigger and status",
      labelNames: ["trigger", "status"],
      registers: [registry],
    }),
    phaseSeconds: new Histogram({
      name: `${PREFIX}sync_phase_seconds`,
      help: "Time spent in each phase of a sync (resolve, diff, fetch, finalize)",
      labelNames: ["phase"],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    pushToMemorySeconds: new Histogram({
      name: `${PREFIX}push_to_memory_seconds`,
      help: "From a push delivery's arrival to the commit of the sync that brought memory to its head or newer",
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    githubRequests: new Counter({
      name: `${PREFIX}github_requests_total`,
      help: "GitHub requests made by syncs and reports, by method, route template and status (0: no answer)",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    githubRateLimitRemaining: new Gauge({
      name: `${PREFIX}github_rate_limit_remaining`,
      help: "Requests left in GitHub's rate limit window after the newest answer, by resource",
      labelNames: ["resource"],
      registers: [registry],
    }),
    rowsWritten: new Counter({
      name: `${PREFIX}rows_written_total`,
      help: "Rows written by syncs that succeeded, by table and operation (insert, supersede)",
      labelNames: ["table", "operation"],
      registers: [registry],
    }),
    githubWrites: new Counter({
      name: `${PREFIX}github_writes_total`,
      help: "Content-creating GitHub requests (check runs, reactions), by kind and result (written, deferred, failed)",
      labelNames: ["kind", "result"],
      registers: [registry],
    }),
  };
}

function cachedReadings(
  read: (() => Promise<DatabaseReadings>) | undefined,
): () => Promise<DatabaseReadings | null> {
  let cached: { at: number; value: Promise<DatabaseReadings | null> } | undefined;
  return () => {
    if (!read) return Promise.resolve(null);
    const now = Date.now();
    if (!cached || now - cached.at > READINGS_TTL_MS) {
      // an unreachable database leaves the gauges as they were; /readyz says why
      cached = { at: now, value: read().catch(() => null) };
    }
    return cached.value;
  };
}
