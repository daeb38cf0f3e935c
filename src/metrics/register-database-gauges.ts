import { Gauge, type Registry } from "prom-client";

/**
 * Readings taken from the database at scrape time (shared by every process, so any process reports them): what the
 * inbox's `readInboxSummary` and the queue's `readQueueSummary` answer. The rooms feed the registry; it reads none.
 */
export type DatabaseReadings = {
  inbox: { pending: number; processing: number; parked: number; oldestPendingSeconds: number };
  queue: { queued: number; running: number; oldestQueuedSeconds: number };
};

export type RegisterDatabaseGaugesOptions = {
  registry: Registry;
  /** the metric name prefix */
  prefix: string;
  /** absent: the gauges stay at 0 */
  read?: () => Promise<DatabaseReadings>;
};

// Readings are a handful of indexed counts; a scrape every few seconds from several scrapers still costs one read.
const READINGS_TTL_MS = 2_000;

/** The inbox and queue gauges: read from the database when scraped (cached for two seconds). */
export function registerDatabaseGauges(options: RegisterDatabaseGaugesOptions): void {
  const { registry, prefix } = options;
  const readings = cachedReadings(options.read);
  const databaseGauge = (name: string, help: string, pick: (reading: DatabaseReadings) => number) =>
    new Gauge({
      name: `${prefix}${name}`,
      help,
      registers: [registry],
      async collect() {
        const reading = await readings();
        if (reading) this.set(pick(reading));
      },
    });
  new Gauge({
    name: `${prefix}inbox_deliveries`,
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
    name: `${prefix}queue_syncs`,
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
