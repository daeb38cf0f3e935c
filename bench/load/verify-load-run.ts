import type pg from "pg";
import { listGitFiles } from "../list-git-files.js";
import { round, type Summary, summarize } from "./stats.js";

/** Rows waiting for the app: inbox deliveries, queued or running syncs, and check runs not settled yet. */
export type Backlog = { inbox: number; syncs: number; checkRuns: number };

export async function readBacklog(pool: pg.Pool): Promise<Backlog> {
  const { rows } = await pool.query<{ inbox: number; syncs: number; checkRuns: number }>(`
    SELECT
      (SELECT count(*) FROM "WebhookDelivery" WHERE status IN ('pending', 'processing'))::int AS inbox,
      (SELECT count(*) FROM "ProjectSync" WHERE status IN ('queued', 'running'))::int AS syncs,
      (SELECT count(*) FROM "ProjectSync"
        WHERE ("checkRunState" IN ('pending', 'creating') AND "headSha" IS NOT NULL)
           OR ("checkRunState" = 'open' AND status IN ('succeeded', 'failed', 'cancelled')))::int AS "checkRuns"`);
  return rows[0] as Backlog;
}

export type DrainResult = {
  /** from the last send until the inbox was empty and no sync was queued or running; null: not within the timeout */
  queueDrainedMs: number | null;
  /** from the last send until, in addition, every check run had settled; null: not within the timeout */
  checkRunsSettledMs: number | null;
  timeoutMs: number;
  /** what was still waiting when the drain ended */
  backlog: Backlog;
};

/**
 * Waits until the app has caught up with the load: inbox empty, no sync queued or running, then every check run
 * settled (none pending or being created for a sync with a head, none open for a finished sync). Check-run writes are
 * spread under the app's write budget, so the second part can take minutes.
 */
export async function drain(
  pool: pg.Pool,
  options: { since: number; timeoutMs: number; onProgress?: (backlog: Backlog, elapsedMs: number) => void },
): Promise<DrainResult> {
  const { since, timeoutMs } = options;
  let queueDrainedMs: number | null = null;
  let lastReport = 0;
  for (;;) {
    const backlog = await readBacklog(pool);
    const elapsed = performance.now() - since;
    if (queueDrainedMs === null && backlog.inbox === 0 && backlog.syncs === 0)
      queueDrainedMs = Math.round(elapsed);
    if (queueDrainedMs !== null && backlog.inbox === 0 && backlog.syncs === 0 && backlog.checkRuns === 0) {
      return { queueDrainedMs, checkRunsSettledMs: Math.round(elapsed), timeoutMs, backlog };
    }
    if (elapsed > timeoutMs) return { queueDrainedMs, checkRunsSettledMs: null, timeoutMs, backlog };
    if (elapsed - lastReport >= 15_000) {
      lastReport = elapsed;
      options.onProgress?.(backlog, elapsed);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits for the start-up reconcile's first sync of the default branch (and anything else queued) to finish. */
export async function waitForStartupSync(pool: pg.Pool, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await pool.query<{ done: number; busy: number }>(`
      SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS done,
             count(*) FILTER (WHERE status IN ('queued', 'running'))::int AS busy
      FROM "ProjectSync"`);
    const row = rows[0] as { done: number; busy: number };
    if (row.done > 0 && row.busy === 0) return Math.round(performance.now() - started);
    if (performance.now() - started > timeoutMs) {
      throw new Error(
        `the app's start-up sync did not finish within ${timeoutMs} ms (${JSON.stringify(row)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type SyncRow = {
  id: string;
  deliveryId: string | null;
  branch: string;
  status: string;
  trigger: string;
  errorCode: string | null;
  error: string | null;
  headSha: string | null;
  checkRunState: string | null;
  created: number;
  started: number | null;
  finished: number | null;
  supersededByCreated: number | null;
};

export type SentDelivery = { id: string; branch: string; after: string };

export type Verification = {
  inbox: {
    rows: number;
    /** rows of the unique deliveries that were sent */
    stored: number;
    byStatus: Record<string, number>;
    parked: number;
    /** ids sent but not in the inbox (first 10) */
    missing: string[];
    /** rows that are no delivery of this run (first 10) */
    unexpected: string[];
    /** how the inbox processor kept up: from receipt to processedAt */
    processing: {
      /** processed deliveries per second, from the first receipt to the last processedAt */
      throughputPerS: number;
      /** the most deliveries received and not yet processed at any moment, and when (s after the first receipt) */
      maxBacklog: number;
      maxBacklogAtS: number;
      waitMs: Summary;
    };
  };
  exactlyOnce: {
    /** unique push deliveries sent */
    expected: number;
    /** of those, with exactly one ProjectSync row */
    withOneSync: number;
    /** ids without a ProjectSync row (first 10) */
    missing: string[];
    ok: boolean;
  };
  syncs: {
    total: number;
    byTrigger: Record<string, number>;
    byStatus: Record<string, number>;
    /** startedAt set */
    run: number;
    succeeded: number;
    failed: number;
    /** cancelled while queued because a newer push of the branch was recorded */
    supersededBeforeRunning: number;
    /** a delivery recorded after a later push of its branch: cancelled at once */
    staleLateDeliveries: number;
    /** errors of failed syncs, by code (first message of each) */
    failures: Record<string, { count: number; example: string | null }>;
    /** syncs run: from startedAt to finishedAt */
    runMs: Summary;
    /** syncs run: from createdAt to startedAt */
    queuedMs: Summary;
  };
  /** inbox receivedAt → finishedAt of the first succeeded sync of the branch created at or after the push's own */
  pushToMemoryMs: Summary & { unreached: number };
  memory: {
    branches: number;
    exact: number;
    ok: boolean;
    /** per branch that differs: its head and the first differences */
    differences: { branch: string; head: string; count: number; first: string[] }[];
    /** branches whose newest succeeded sync is not at the branch's final head */
    notAtHead: { branch: string; head: string; lastSyncedHead: string | null }[];
  };
  /** distinct branches with at least one sync (the "+1 per branch" of the check-run target) */
  branchesWithSyncs: number;
};

/** Reads what the app did with the load and checks it: inbox, exactly-once, syncs, latency to memory, memory vs git. */
export async function verifyRun(
  pool: pg.Pool,
  options: {
    gitDir: string;
    /** the unique push deliveries sent */
    sent: readonly SentDelivery[];
    /** branch → head the memory must equal (the final head of every branch, the default branch included) */
    heads: Record<string, string>;
  },
): Promise<Verification> {
  const { sent, heads } = options;
  const sentIds = new Set(sent.map((delivery) => delivery.id));

  const inboxRows = (
    await pool.query<{ id: string; status: string; received: number; processed: number | null }>(
      `SELECT id, status::text AS status, (extract(epoch FROM "receivedAt") * 1000)::float8 AS received,
         (extract(epoch FROM "processedAt") * 1000)::float8 AS processed
       FROM "WebhookDelivery"`,
    )
  ).rows;
  const received = new Map(inboxRows.map((row) => [row.id, row.received]));
  const byInboxStatus = countBy(inboxRows, (row) => row.status);

  const syncRows = (
    await pool.query<SyncRow>(`
      SELECT s.id, s."deliveryId", s.branch, s.status::text AS status, s.trigger::text AS trigger, s."errorCode",
        s.error, s."headSha", s."checkRunState"::text AS "checkRunState",
        (extract(epoch FROM s."createdAt") * 1000)::float8 AS created,
        (extract(epoch FROM s."startedAt") * 1000)::float8 AS started,
        (extract(epoch FROM s."finishedAt") * 1000)::float8 AS finished,
        (extract(epoch FROM sup."createdAt") * 1000)::float8 AS "supersededByCreated"
      FROM "ProjectSync" s LEFT JOIN "ProjectSync" sup ON sup.id = s."supersededById"
      ORDER BY s."createdAt", s.id`)
  ).rows;
  const isStale = (row: SyncRow) =>
    row.status === "cancelled" &&
    row.started === null &&
    row.supersededByCreated !== null &&
    row.supersededByCreated <= row.created;
  const syncsByDelivery = new Map<string, SyncRow[]>();
  for (const row of syncRows) {
    if (row.deliveryId === null) continue;
    const list = syncsByDelivery.get(row.deliveryId) ?? [];
    list.push(row);
    syncsByDelivery.set(row.deliveryId, list);
  }

  // exactly once
  const missingSync: string[] = [];
  let withOneSync = 0;
  for (const delivery of sent) {
    const count = syncsByDelivery.get(delivery.id)?.length ?? 0;
    if (count === 1) withOneSync += 1;
    else if (missingSync.length < 10) missingSync.push(`${delivery.id} (${count} syncs)`);
  }

  // push → memory
  const succeededByBranch = new Map<string, SyncRow[]>();
  for (const row of syncRows) {
    if (row.status !== "succeeded" || row.finished === null) continue;
    const list = succeededByBranch.get(row.branch) ?? [];
    list.push(row);
    succeededByBranch.set(row.branch, list);
  }
  const latencies: number[] = [];
  let unreached = 0;
  for (const delivery of sent) {
    const sync = syncsByDelivery.get(delivery.id)?.[0];
    const at = received.get(delivery.id);
    if (!sync || at === undefined || isStale(sync)) continue;
    const reached = (succeededByBranch.get(sync.branch) ?? []).find((row) => row.created >= sync.created);
    if (!reached || reached.finished === null) {
      unreached += 1;
      continue;
    }
    latencies.push(reached.finished - at);
  }

  // memory vs git
  const memoryRows = (
    await pool.query<{ branch: string; path: string; mode: string; blobSha: string }>(
      `SELECT branch, path, mode, "blobSha" FROM "MemoryEntry" WHERE status = 'active'`,
    )
  ).rows;
  const memory = new Map<string, Map<string, string>>();
  for (const row of memoryRows) {
    const entries = memory.get(row.branch) ?? new Map<string, string>();
    entries.set(row.path, `${row.mode} ${row.blobSha}`);
    memory.set(row.branch, entries);
  }
  const differences: Verification["memory"]["differences"] = [];
  const notAtHead: Verification["memory"]["notAtHead"] = [];
  for (const [branch, head] of Object.entries(heads)) {
    const expected = await listGitFiles(options.gitDir, head);
    const actual = memory.get(branch) ?? new Map<string, string>();
    const diff: string[] = [];
    for (const [path, value] of expected) {
      const got = actual.get(path);
      if (got === undefined) diff.push(`missing ${path} (git: ${value})`);
      else if (got !== value) diff.push(`differs ${path} (git: ${value}, memory: ${got})`);
    }
    for (const [path, value] of actual)
      if (!expected.has(path)) diff.push(`extra ${path} (memory: ${value})`);
    if (diff.length > 0) differences.push({ branch, head, count: diff.length, first: diff.slice(0, 5) });
    const last = (succeededByBranch.get(branch) ?? []).at(-1);
    if (last?.headSha !== head) notAtHead.push({ branch, head, lastSyncedHead: last?.headSha ?? null });
  }

  const failures: Verification["syncs"]["failures"] = {};
  for (const row of syncRows.filter((sync) => sync.status === "failed")) {
    const code = row.errorCode ?? "?";
    const entry = failures[code] ?? { count: 0, example: row.error };
    entry.count += 1;
    failures[code] = entry;
  }
  const stored = inboxRows.filter((row) => sentIds.has(row.id)).length;
  const runs = syncRows.filter((row) => row.started !== null);
  return {
    inbox: {
      rows: inboxRows.length,
      stored,
      byStatus: byInboxStatus,
      parked: byInboxStatus.parked ?? 0,
      missing: sent
        .filter((delivery) => !received.has(delivery.id))
        .slice(0, 10)
        .map((delivery) => delivery.id),
      unexpected: inboxRows
        .filter((row) => !sentIds.has(row.id))
        .slice(0, 10)
        .map((row) => row.id),
      processing: processingOf(inboxRows),
    },
    exactlyOnce: {
      expected: sent.length,
      withOneSync,
      missing: missingSync,
      ok: withOneSync === sent.length && stored === sent.length,
    },
    syncs: {
      total: syncRows.length,
      byTrigger: countBy(syncRows, (row) => row.trigger),
      byStatus: countBy(syncRows, (row) => row.status),
      run: syncRows.filter((row) => row.started !== null).length,
      succeeded: syncRows.filter((row) => row.status === "succeeded").length,
      failed: syncRows.filter((row) => row.status === "failed").length,
      supersededBeforeRunning: syncRows.filter(
        (row) =>
          row.status === "cancelled" &&
          row.started === null &&
          row.errorCode === "SUPERSEDED" &&
          !isStale(row),
      ).length,
      staleLateDeliveries: syncRows.filter(isStale).length,
      failures,
      runMs: summarize(
        runs.flatMap((row) => (row.finished !== null ? [row.finished - (row.started as number)] : [])),
      ),
      queuedMs: summarize(runs.map((row) => (row.started as number) - row.created)),
    },
    pushToMemoryMs: { ...summarize(latencies), unreached },
    memory: {
      branches: Object.keys(heads).length,
      exact: Object.keys(heads).length - differences.length,
      ok: differences.length === 0,
      differences,
      notAtHead,
    },
    branchesWithSyncs: new Set(syncRows.map((row) => row.branch)).size,
  };
}

/** A few figures of the app's `/metrics` (Prometheus text), summed over labels. */
export async function scrapeMetrics(url: string): Promise<Record<string, number | string>> {
  let text: string;
  try {
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    text = await response.text();
    if (response.status !== 200) return { error: `HTTP ${response.status}: ${text.slice(0, 200)}` };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const wanted = [
    "project_sync_webhook_deliveries_total",
    "project_sync_webhook_ack_seconds_count",
    "project_sync_webhook_ack_seconds_sum",
    "project_sync_inbox_handled_total",
    "project_sync_syncs_total",
    "project_sync_push_to_memory_seconds_count",
    "project_sync_push_to_memory_seconds_sum",
    "project_sync_github_writes_total",
  ];
  const figures: Record<string, number | string> = {};
  // the app's own acknowledgement histogram: cumulative counts by upper bound (seconds), over every outcome
  const ackBuckets = new Map<number, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, labels, value] = match as unknown as [string, string, string | undefined, string];
    if (name === "project_sync_webhook_ack_seconds_bucket") {
      const le = /le="([^"]*)"/.exec(labels ?? "")?.[1];
      const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
      ackBuckets.set(bound, (ackBuckets.get(bound) ?? 0) + Number(value));
      continue;
    }
    if (!wanted.includes(name)) continue;
    figures[name] = round(((figures[name] as number | undefined) ?? 0) + Number(value), 3);
    // the outcome / result split of the counters that have one
    const split = /(?:outcome|result|status)="([^"]*)"/.exec(labels ?? "");
    if (split && !name.endsWith("_sum")) {
      const key = `${name}{${split[0]}}`;
      figures[key] = round(((figures[key] as number | undefined) ?? 0) + Number(value), 3);
    }
  }
  const ackCount = Number(figures.project_sync_webhook_ack_seconds_count ?? 0);
  if (ackCount > 0) {
    figures.project_sync_webhook_ack_seconds_mean_ms = round(
      (Number(figures.project_sync_webhook_ack_seconds_sum ?? 0) / ackCount) * 1000,
      2,
    );
  }
  // percentiles the app itself measured (from the request's arrival in its handler to the answer), as bucket bounds
  const bounds = [...ackBuckets.keys()].sort((x, y) => x - y);
  const total = ackBuckets.get(Number.POSITIVE_INFINITY) ?? 0;
  for (const [label, quantile] of [
    ["p50", 0.5],
    ["p99", 0.99],
  ] as const) {
    const bound = bounds.find((le) => (ackBuckets.get(le) ?? 0) >= quantile * total);
    if (total > 0 && bound !== undefined) {
      figures[`project_sync_webhook_ack_seconds_${label}_at_most_ms`] = Number.isFinite(bound)
        ? bound * 1000
        : "over the largest bucket";
    }
  }
  const pushCount = Number(figures.project_sync_push_to_memory_seconds_count ?? 0);
  if (pushCount > 0) {
    figures.project_sync_push_to_memory_seconds_mean_ms = round(
      (Number(figures.project_sync_push_to_memory_seconds_sum ?? 0) / pushCount) * 1000,
      1,
    );
  }
  return figures;
}

function processingOf(
  rows: readonly { received: number; processed: number | null }[],
): Verification["inbox"]["processing"] {
  const events: [number, number][] = [];
  for (const row of rows) {
    events.push([row.received, 1]);
    if (row.processed !== null) events.push([row.processed, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const first = events[0]?.[0] ?? 0;
  let backlog = 0;
  let maxBacklog = 0;
  let maxBacklogAt = first;
  for (const [at, change] of events) {
    backlog += change;
    if (backlog > maxBacklog) {
      maxBacklog = backlog;
      maxBacklogAt = at;
    }
  }
  const processed = rows.flatMap((row) => (row.processed !== null ? [row.processed] : []));
  const last = processed.reduce((latest, at) => Math.max(latest, at), first);
  return {
    throughputPerS: last > first ? round(processed.length / ((last - first) / 1000)) : 0,
    maxBacklog,
    maxBacklogAtS: round((maxBacklogAt - first) / 1000),
    waitMs: summarize(rows.flatMap((row) => (row.processed !== null ? [row.processed - row.received] : []))),
  };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
