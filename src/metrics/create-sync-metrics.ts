import type { Db } from "../db/create-prisma-client.js";
import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { SyncEvent } from "../sync/sync-event.js";
import type { AppMetrics } from "./app-metrics.js";

/** Worker hooks that turn a sync's events and end into metrics. */
export type SyncMetrics = {
  onEvent(syncId: string, event: SyncEvent): void;
  onSettled(syncId: string): void;
};

/**
 * Phase durations from the events of the syncs this process runs; at a sync's end, its status by trigger, the rows it
 * wrote, and for a sync that succeeded the push-to-memory latency of every push delivery it covered (its own, and those
 * superseded into it while queued): from the delivery's arrival to the sync's commit.
 */
export function createSyncMetrics(options: { db: Db; metrics: AppMetrics; log: Logger }): SyncMetrics {
  const { db, metrics } = options;
  const phases = new Map<string, { phase: string; since: number }>();

  const closePhase = (syncId: string, at: number) => {
    const current = phases.get(syncId);
    if (current) metrics.phaseSeconds.observe({ phase: current.phase }, (at - current.since) / 1000);
    phases.delete(syncId);
  };

  const settled = async (syncId: string) => {
    const sync = await db.projectSync.findUnique({
      where: { id: syncId },
      select: {
        status: true,
        trigger: true,
        startedAt: true,
        finishedAt: true,
        added: true,
        modified: true,
        removed: true,
        renamed: true,
        filesFetched: true,
        deliveryId: true,
      },
    });
    if (!sync || sync.status === "queued" || sync.status === "running" || sync.startedAt === null) return;
    metrics.syncs.inc({ trigger: sync.trigger, status: sync.status });
    if (sync.status !== "succeeded" || !sync.finishedAt) return;
    metrics.rowsWritten.inc(
      { table: "MemoryEntry", operation: "insert" },
      sync.added + sync.modified + sync.renamed,
    );
    metrics.rowsWritten.inc(
      { table: "MemoryEntry", operation: "supersede" },
      sync.modified + sync.removed + sync.renamed,
    );
    metrics.rowsWritten.inc({ table: "RepositoryFile", operation: "insert" }, sync.filesFetched);
    const covered = await db.$queryRaw<{ receivedAt: Date }[]>`
      SELECT d."receivedAt" FROM "ProjectSync" s JOIN "WebhookDelivery" d ON d.id = s."deliveryId"
      WHERE (s.id = ${syncId}::uuid OR s."supersededById" = ${syncId}::uuid) AND s.trigger = 'push'`;
    for (const { receivedAt } of covered) {
      metrics.pushToMemorySeconds.observe(
        Math.max(0, (sync.finishedAt.getTime() - receivedAt.getTime()) / 1000),
      );
    }
  };

  return {
    onEvent(syncId, event) {
      const at = Date.parse(event.at);
      if (event.type === "status" && event.status !== "running") {
        closePhase(syncId, at);
        return;
      }
      const current = phases.get(syncId);
      if (event.phase && current?.phase !== event.phase) {
        closePhase(syncId, at);
        phases.set(syncId, { phase: event.phase, since: at });
      }
    },
    onSettled(syncId) {
      phases.delete(syncId);
      settled(syncId).catch((error: unknown) =>
        options.log.debug(`Metrics of sync ${syncId} not recorded: ${toAppError(error).message}`),
      );
    },
  };
}
