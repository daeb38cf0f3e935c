import { AppError, toAppError } from "../errors.js";
import type { SyncPhase, SyncStatus } from "../generated/prisma/enums.js";
import { countRequests } from "../github/count-requests.js";
import { countMemoryEntries } from "../memory/count-memory-entries.js";
import { loadMemoryTree, type MemoryTree } from "../memory/load-memory-tree.js";
import { type ClaimedSync, claimSync } from "./claim-sync.js";
import { fetchContent } from "./fetch-content.js";
import { finalizeSync } from "./finalize-sync.js";
import { planChanges } from "./plan-changes.js";
import { recordSyncEvent } from "./record-sync-event.js";
import { resolveTarget } from "./resolve-target.js";
import type { SyncContext, SyncDeps, SyncPlan } from "./sync-context.js";
import { type SyncCounts, type SyncEvent, ZERO_COUNTS } from "./sync-event.js";
import { type SyncView, toSyncView } from "./sync-view.js";
import { toSyncError } from "./to-sync-error.js";

export type RunSyncOptions = {
  /** the sync, already moved to running by the caller: runSync does not claim it again */
  claimed?: ClaimedSync;
};

const HEARTBEAT_MS = 15_000;
const PROGRESS_RECORD_MS = 1_000;

/**
 * Runs a queued sync through the four phases, yielding a progress event at every step, and returns the finished
 * sync. 1 resolve → 2 diff → 3 fetch → 4 finalize. Memory changes only in phase 4's transaction: a failure anywhere
 * (or a cancel through `deps.signal`) leaves it exactly as it was and records the sync `failed` (or `cancelled`).
 * Throws only when the sync cannot start (unknown, not queued, or its branch busy). A queue worker that already moved
 * the sync to running (in its own transaction) passes it as `claimed`.
 */
export async function* runSync(
  deps: SyncDeps,
  syncId: string,
  options: RunSyncOptions = {},
): AsyncGenerator<SyncEvent, SyncView> {
  const claimed = options.claimed ?? (await claimSync(deps.db, syncId, deps.now));
  const { repository, ...sync } = claimed;
  const counter = deps.github ? countRequests(deps.github) : null;
  const lineageHead = await deps.db.projectSync.findFirst({
    where: { repositoryId: sync.repositoryId, branch: sync.branch, status: "succeeded" },
    orderBy: { generation: "desc" },
  });
  let memory: Promise<MemoryTree> | undefined;
  const context: SyncContext = {
    deps,
    github: counter?.client ?? null,
    sync,
    repository,
    lineageHead,
    memoryTree: () => {
      memory ??= loadMemoryTree(deps.db, { repositoryId: repository.id, branch: sync.branch });
      return memory;
    },
  };
  const heartbeat = setInterval(() => {
    deps.db.projectSync
      .updateMany({ where: { id: syncId, status: "running" }, data: { heartbeatAt: deps.now() } })
      .catch((error: unknown) =>
        deps.log.warn(`heartbeat of sync ${syncId} failed: ${toAppError(error).message}`),
      );
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let phase: SyncPhase | null = null;
  let counts: SyncCounts = ZERO_COUNTS;
  let lastRecorded = 0;
  const emit = async (
    type: SyncEvent["type"],
    status: SyncStatus,
    extra: Partial<Pick<SyncEvent, "progress" | "error">> = {},
  ): Promise<SyncEvent> => {
    const event: SyncEvent = {
      type,
      syncId,
      status,
      phase,
      counts,
      progress: extra.progress ?? null,
      error: extra.error ?? null,
      at: deps.now().toISOString(),
    };
    const due = Date.now() - lastRecorded >= PROGRESS_RECORD_MS;
    if (type !== "progress" || due) {
      lastRecorded = Date.now();
      if (!(await recordSyncEvent(deps.db, event))) {
        throw new AppError(
          "CONFLICT",
          `Sync ${syncId} is no longer running here; another process took it over.`,
        );
      }
    }
    return event;
  };
  const stats = () => ({ githubRequests: counter?.stats().requests ?? 0 });

  let filesFetched = 0;
  let bytesFetched = 0;
  try {
    phase = "resolve";
    yield await emit("phase", "running");
    const target = await resolveTarget(context);
    deps.signal?.throwIfAborted();
    // The head is known now (a manual sync resolved it): a check run can be put on it before the sync ends.
    await deps.db.projectSync.updateMany({
      where: { id: syncId, status: "running" },
      data: { headSha: target.headSha ?? sync.headSha, configDigest: deps.configDigest ?? null },
    });

    phase = "diff";
    yield await emit("phase", "running");
    const plan: SyncPlan = target.unchanged
      ? await unchangedPlan(context)
      : await planChanges(context, target);
    counts = plan.counts;
    deps.signal?.throwIfAborted();

    phase = "fetch";
    yield await emit("phase", "running", { progress: { done: 0, total: plan.fetch.length } });
    for await (const progress of fetchContent(context, plan, target)) {
      filesFetched = progress.done;
      bytesFetched = progress.bytes;
      yield await emit("progress", "running", { progress: { done: progress.done, total: progress.total } });
    }
    deps.signal?.throwIfAborted();

    phase = "finalize";
    yield await emit("phase", "running");
    const finished = await finalizeSync(context, target, plan, { filesFetched, bytesFetched, ...stats() });
    yield await emit("status", finished.status);
    return toSyncView({ ...finished, repository });
  } catch (thrown) {
    const cancelled = deps.signal?.aborted === true;
    const error = cancelled
      ? new AppError("CONFLICT", `Cancelled: ${String(deps.signal?.reason ?? "superseded")}`)
      : toSyncError(thrown);
    const status: SyncStatus = cancelled ? "cancelled" : "failed";
    deps.log.warn(
      `sync ${syncId} of ${repository.key}@${sync.branch} ${status} in ${phase}: ${error.message}`,
    );
    // Only a sync still running is marked: one another process already declared dead keeps what it was given.
    await deps.db.projectSync.updateMany({
      where: { id: syncId, status: "running" },
      data: {
        status,
        errorCode: error.code,
        error: error.message,
        configDigest: deps.configDigest ?? null,
        filesFetched,
        bytesFetched: BigInt(bytesFetched),
        ...stats(),
        finishedAt: deps.now(),
      },
    });
    const failed = await deps.db.projectSync.findUniqueOrThrow({
      where: { id: syncId },
      include: { repository: true },
    });
    yield await emit("status", failed.status, {
      error: {
        code: error.code,
        message: error.message,
        retryable: !cancelled && error.retryable,
        retryAt: error.retryAt?.toISOString() ?? null,
      },
    });
    return toSyncView(failed);
  } finally {
    clearInterval(heartbeat);
  }
}

async function unchangedPlan(context: SyncContext): Promise<SyncPlan> {
  const unchanged = await countMemoryEntries(context.deps.db, {
    repositoryId: context.repository.id,
    branch: context.sync.branch,
  });
  return {
    baseSyncId: context.lineageHead?.id ?? null,
    baseSha: context.lineageHead?.headSha ?? null,
    supersede: [],
    insert: [],
    counts: { ...ZERO_COUNTS, unchanged },
    fetch: [],
    archive: false,
    submodules: [],
  };
}
