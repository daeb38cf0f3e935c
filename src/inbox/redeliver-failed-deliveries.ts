import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { takeLease } from "../db/take-lease.js";
import { toAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { AppMetrics } from "../metrics/app-metrics.js";

/** The app's own Octokit (JWT): the deliveries API answers the app, not an installation. */
export type AppRequestClient = {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ data: unknown; headers: Record<string, string | number | undefined> }>;
};

export type RedeliverOptions = {
  db: Db;
  client: AppRequestClient;
  log: Logger;
  now: () => Date;
  /** who takes the lease (this process) */
  holder: string;
  /** this process's presence key: when it is killed mid-scan, another process scans at once instead of in 5 min */
  presenceKey?: number | null;
  metrics?: AppMetrics;
  /** pages read at most in one scan (default 30) */
  maxPages?: number;
  /** deliveries per page (default 100, GitHub's maximum) */
  perPage?: number;
  /** redeliveries asked for at most in one scan (default 500) */
  maxRedeliveries?: number;
  /** a scan that started less than this ago makes another unnecessary (default 30 s): several processes ask at once */
  minIntervalMs?: number;
  /**
   * a scan that started after this makes another unnecessary (default: now − minIntervalMs); after an outage, when
   * it was first seen: only a scan that began after the deliveries failed has seen them
   */
  notBefore?: Date;
};

export type RedeliverResult = {
  /** false: another process holds the scan, or one ran moments ago */
  scanned: boolean;
  /** why it did not scan: another holder's scan is running (it may have begun before `notBefore`), or one did already */
  skipped?: "held" | "recent";
  /** deliveries read from GitHub */
  read: number;
  /** failed deliveries asked again */
  redelivered: number;
  /** the scan stopped at its page or redelivery bound: more may be left for the next */
  truncated: boolean;
};

type Cursor = { lastId: string | null; scannedAt: string | null };

const deliverySchema = z.object({
  id: z.number(),
  guid: z.string(),
  delivered_at: z.string(),
  redelivery: z.boolean().optional(),
  status_code: z.number().int(),
  event: z.string(),
});

type Delivery = z.infer<typeof deliverySchema>;

const LEASE = "webhook-redelivery";
// GitHub redelivers deliveries of the past 3 days only.
const WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
const LEASE_MS = 5 * 60 * 1000;

/**
 * GitHub does not retry a failed delivery by itself. Reads the app's recent deliveries (newest first, back to where
 * the last scan stopped, at most 3 days), and asks GitHub to redeliver each event that never got a 2xx from us and
 * that we never stored — a delivery GitHub could not bring while the app or its database was down is replayed
 * within minutes. Deliveries we refused as invalid (4xx other than 408/429) are not asked again. Runs once across
 * processes (a lease); the cursor is stored only when a scan completes.
 */
export async function redeliverFailedDeliveries(options: RedeliverOptions): Promise<RedeliverResult> {
  const { db, log } = options;
  const started = options.now();
  const lease = await takeLease<Cursor>(db, {
    name: LEASE,
    holder: options.holder,
    presenceKey: options.presenceKey,
    now: started,
    leaseMs: LEASE_MS,
  });
  const skipped = (reason: "held" | "recent"): RedeliverResult => ({
    scanned: false,
    skipped: reason,
    read: 0,
    redelivered: 0,
    truncated: false,
  });
  if (!lease) return skipped("held");
  const scannedAt = lease.state?.scannedAt ? Date.parse(lease.state.scannedAt) : 0;
  const notBefore = options.notBefore?.getTime() ?? started.getTime() - (options.minIntervalMs ?? 30_000);
  if (scannedAt > notBefore) {
    await lease.release(null);
    return skipped("recent");
  }
  try {
    const lastId = lease.state?.lastId ? Number(lease.state.lastId) : 0;
    const { deliveries, truncated: pagesCut } = await readSince(
      options,
      lastId,
      started.getTime() - WINDOW_MS,
    );
    const failed = await failedEvents(db, deliveries);
    const limit = options.maxRedeliveries ?? 500;
    let redelivered = 0;
    for (const delivery of failed.slice(0, limit)) {
      try {
        await options.client.request("POST /app/hook/deliveries/{delivery_id}/attempts", {
          delivery_id: delivery.id,
        });
        redelivered += 1;
        options.metrics?.redeliveries.inc({ result: "requested" });
      } catch (error) {
        options.metrics?.redeliveries.inc({ result: "failed" });
        log.warn(
          `Redelivering ${delivery.event} delivery ${delivery.guid} failed: ${toAppError(error).message}`,
        );
      }
    }
    const newest = deliveries.reduce((max, delivery) => Math.max(max, delivery.id), lastId);
    await lease.release({ lastId: String(newest), scannedAt: started.toISOString() });
    if (redelivered > 0 || failed.length > 0) {
      log.info(`Asked GitHub to redeliver ${redelivered} of ${failed.length} failed webhook deliveries`);
    }
    return {
      scanned: true,
      read: deliveries.length,
      redelivered,
      truncated: pagesCut || failed.length > limit,
    };
  } catch (error) {
    // the cursor stays where it was: the next scan reads the same deliveries again
    await lease.release(null).catch(() => undefined);
    throw error;
  }
}

async function readSince(
  options: RedeliverOptions,
  lastId: number,
  oldest: number,
): Promise<{ deliveries: Delivery[]; truncated: boolean }> {
  const deliveries: Delivery[] = [];
  let cursor: string | undefined;
  const maxPages = options.maxPages ?? 30;
  for (let page = 0; page < maxPages; page += 1) {
    const response = await options.client.request("GET /app/hook/deliveries", {
      per_page: options.perPage ?? 100,
      ...(cursor ? { cursor } : {}),
    });
    const batch = z.array(deliverySchema).parse(response.data);
    for (const delivery of batch) {
      if (delivery.id <= lastId || Date.parse(delivery.delivered_at) < oldest)
        return { deliveries, truncated: false };
      deliveries.push(delivery);
    }
    cursor = nextCursor(response.headers.link);
    if (!cursor || batch.length === 0) return { deliveries, truncated: false };
  }
  return { deliveries, truncated: true };
}

/** The newest attempt of each event none of whose attempts we answered 2xx/3xx and that the inbox does not hold. */
async function failedEvents(db: Db, deliveries: readonly Delivery[]): Promise<Delivery[]> {
  const byGuid = new Map<string, Delivery[]>();
  for (const delivery of deliveries) {
    const attempts = byGuid.get(delivery.guid) ?? [];
    attempts.push(delivery);
    byGuid.set(delivery.guid, attempts);
  }
  const candidates: Delivery[] = [];
  for (const attempts of byGuid.values()) {
    if (attempts.some((attempt) => attempt.status_code >= 200 && attempt.status_code < 400)) continue;
    const newest = attempts.reduce((a, b) => (b.id > a.id ? b : a));
    if (isOurRefusal(newest.status_code)) continue;
    candidates.push(newest);
  }
  if (candidates.length === 0) return [];
  const known = await db.webhookDelivery.findMany({
    where: { id: { in: candidates.map((delivery) => delivery.guid) } },
    select: { id: true },
  });
  const stored = new Set(known.map((row) => row.id));
  // oldest first: GitHub sends them again in the order they first happened
  return candidates.filter((delivery) => !stored.has(delivery.guid)).sort((a, b) => a.id - b.id);
}

/** A 4xx we answered (bad signature, malformed payload) fails again the same way; 408 and 429 are transient. */
function isOurRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function nextCursor(link: string | number | undefined): string | undefined {
  if (typeof link !== "string") return undefined;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match?.[1]) return new URL(match[1]).searchParams.get("cursor") ?? undefined;
  }
  return undefined;
}
