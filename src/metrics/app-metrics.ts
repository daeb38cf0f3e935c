import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type DatabaseReadings, registerDatabaseGauges } from "./register-database-gauges.js";

/**
 * Every metric the app exports at `/metrics`, on a registry of its own (several apps in one test process never
 * share counters). Labels are bounded sets (event names, outcomes, phases, route templates); never repository or
 * branch names, whose number has no bound.
 */
export type AppMetrics = { registry: Registry } & IntakeMetrics &
  InboxMetrics &
  WorkerMetrics &
  GitHubMetrics &
  MemoryMetrics &
  ReporterMetrics;

/** The webhook endpoint: what it answered, and how fast. */
type IntakeMetrics = {
  /** webhook deliveries answered, by event and outcome (accepted, duplicate, ignored, bad_signature, …) */
  deliveries: Counter<"event" | "outcome">;
  /** from the first byte of a delivery to its answer */
  ackSeconds: Histogram<"outcome">;
};

/** The inbox processor and the redelivery of failed deliveries. */
type InboxMetrics = {
  /** inbox deliveries handled, by event and result (processed, retried, parked) */
  inboxHandled: Counter<"event" | "result">;
  /** failed deliveries this app asked GitHub to send again */
  redeliveries: Counter<"result">;
};

/** The sync worker: syncs run, their phases, and how long a push takes to reach memory. */
type WorkerMetrics = {
  /** syncs that ended in this process, by trigger and status */
  syncs: Counter<"trigger" | "status">;
  /** time spent in each phase of the syncs this process ran */
  phaseSeconds: Histogram<"phase">;
  /** from a push delivery's arrival to the commit of the sync that put its head (or a newer one) in memory */
  pushToMemorySeconds: Histogram<string>;
};

/** The GitHub connector: requests made and the rate limit left. */
type GitHubMetrics = {
  /** GitHub requests made, by method, route template and status (0: no answer) */
  githubRequests: Counter<"method" | "route" | "status">;
  /** the rate limit left after the newest GitHub answer, by resource (core, graphql, …) */
  githubRateLimitRemaining: Gauge<"resource">;
};

/** Memory: what finished syncs wrote. */
type MemoryMetrics = {
  /** rows written into memory by finished syncs, by table and operation (insert, supersede) */
  rowsWritten: Counter<"table" | "operation">;
};

/** The sync reporter: its writes on GitHub. */
type ReporterMetrics = {
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

/**
 * Creates the app's metrics. The inbox and queue gauges read the database when scraped (cached for two seconds).
 * Groups register in a fixed order, which is the order `/metrics` lists them in.
 * @example const metrics = createAppMetrics({ readDatabase: () => readDatabaseGauges(db) });
 */
export function createAppMetrics(options: CreateAppMetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: PREFIX });
  registerDatabaseGauges({ registry, prefix: PREFIX, read: options.readDatabase });
  return {
    registry,
    ...createIntakeMetrics(registry),
    ...createInboxMetrics(registry),
    ...createWorkerMetrics(registry),
    ...createGitHubMetrics(registry),
    ...createMemoryMetrics(registry),
    ...createReporterMetrics(registry),
  };
}

function createIntakeMetrics(registry: Registry): IntakeMetrics {
  return {
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
  };
}

function createInboxMetrics(registry: Registry): InboxMetrics {
  return {
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
  };
}

function createWorkerMetrics(registry: Registry): WorkerMetrics {
  return {
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
  };
}

function createGitHubMetrics(registry: Registry): GitHubMetrics {
  return {
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
  };
}

function createMemoryMetrics(registry: Registry): MemoryMetrics {
  return {
    rowsWritten: new Counter({
      name: `${PREFIX}rows_written_total`,
      help: "Rows written by syncs that succeeded, by table and operation (insert, supersede)",
      labelNames: ["table", "operation"],
      registers: [registry],
    }),
  };
}

function createReporterMetrics(registry: Registry): ReporterMetrics {
  return {
    githubWrites: new Counter({
      name: `${PREFIX}github_writes_total`,
      help: "Content-creating GitHub requests (check runs, reactions), by kind and result (written, deferred, failed)",
      labelNames: ["kind", "result"],
      registers: [registry],
    }),
  };
}
