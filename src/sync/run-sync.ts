import { countMemoryEntries } from "../memory/count-memory-entries.js";
import type { ClaimedSync } from "../sync-record/claim-sync.js";
import { createSyncContext } from "./create-sync-context.js";
import { createSyncEmitter, type SyncEmitter } from "./create-sync-emitter.js";
import { fetchContent } from "./fetch-content.js";
import { finalizeSync } from "./finalize-sync.js";
import { planChanges } from "./plan-changes.js";
import { recordSyncFailure } from "./record-sync-failure.js";
import { resolveTarget } from "./resolve-target.js";
import { startHeartbeat } from "./start-heartbeat.js";
import type { SyncContext, SyncDeps, SyncPlan } from "./sync-context.js";
import { type SyncEvent, ZERO_COUNTS } from "./sync-event.js";
import { type SyncView, toSyncView } from "./sync-view.js";

/**
 * Runs a claimed sync (see claimSync) through the four phases, yielding a progress event at every step, and returns
 * the finished sync: 1 resolve → 2 diff → 3 fetch → 4 finalize. Memory changes only in phase 4's transaction: a
 * failure anywhere (or a cancel through `deps.signal`) leaves it exactly as it was and records the sync `failed` (or
 * `cancelled`).
 */
export async function* runSync(deps: SyncDeps, claimed: ClaimedSync): AsyncGenerator<SyncEvent, SyncView> {
  const context = await createSyncContext(deps, claimed);
  const emitter = createSyncEmitter(deps, claimed.id);
  const stopHeartbeat = startHeartbeat(deps, claimed.id);
  try {
    return yield* runPhases(context, emitter);
  } catch (thrown) {
    const failure = await recordSyncFailure(context, emitter.state, thrown);
    yield await emitter.emit("status", failure.sync.status, { error: failure.error });
    return toSyncView(failure.sync);
  } finally {
    stopHeartbeat();
  }
}

async function* runPhases(context: SyncContext, emitter: SyncEmitter): AsyncGenerator<SyncEvent, SyncView> {
  const { deps, sync, repository } = context;
  const { state, emit } = emitter;

  state.phase = "resolve";
  yield await emit("phase", "running");
  const target = await resolveTarget(context);
  deps.signal?.throwIfAborted();
  // The head is known now (a manual sync resolved it): a check run can be put on it before the sync ends.
  await deps.db.projectSync.updateMany({
    where: { id: sync.id, status: "running" },
    data: { headSha: target.headSha ?? sync.headSha, configDigest: deps.configDigest ?? null },
  });

  state.phase = "diff";
  yield await emit("phase", "running");
  const plan = target.unchanged ? await unchangedPlan(context) : await planChanges(context, target);
  state.counts = plan.counts;
  deps.signal?.throwIfAborted();

  state.phase = "fetch";
  yield await emit("phase", "running", { progress: { done: 0, total: plan.fetch.length } });
  for await (const progress of fetchContent(context, plan, target)) {
    state.filesFetched = progress.done;
    state.bytesFetched = progress.bytes;
    yield await emit("progress", "running", { progress: { done: progress.done, total: progress.total } });
  }
  deps.signal?.throwIfAborted();

  state.phase = "finalize";
  yield await emit("phase", "running");
  const finished = await finalizeSync(context, target, plan, {
    filesFetched: state.filesFetched,
    bytesFetched: state.bytesFetched,
    githubRequests: context.githubRequests(),
  });
  yield await emit("status", finished.status);
  return toSyncView({ ...finished, repository });
}

/** Phase 2 of a head already synced under the same config: nothing changes, every path of memory is unchanged. */
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
