import { type AppError, toAppError } from "../errors.js";
import type { ClaimedSync } from "../sync/claim-sync.js";
import { runSync } from "../sync/run-sync.js";
import type { SyncEvent } from "../sync/sync-event.js";
import type { SyncView } from "../sync/sync-view.js";
import type { ServiceDeps } from "./service-deps.js";

export type ExecuteSyncOptions = {
  syncId: string;
  onEvent?: (event: SyncEvent) => void;
  signal?: AbortSignal;
  pathFilter?: (path: string) => boolean;
  /** the repository config's size cap, instead of deps.maxFileSizeBytes */
  maxFileSizeBytes?: number;
  /** digest of the repository config applied (recorded on the sync) */
  configDigest?: string | null;
  /** the sync as a queue worker claimed it (already running): it is not claimed again */
  claimed?: ClaimedSync;
  /**
   * what happens to a sync that cannot start (its branch busy): "cancel" records it cancelled (the CLI runs now or
   * not at all), "keep" leaves it queued for a worker to take later. Default "cancel".
   */
  ifBusy?: "cancel" | "keep";
};

/** Runs a queued sync to its end (the pipeline's events go to `onEvent`) and returns it finished. */
export async function executeSync(deps: ServiceDeps, options: ExecuteSyncOptions): Promise<SyncView> {
  const sync =
    options.claimed ??
    (await deps.db.projectSync.findUnique({
      where: { id: options.syncId },
      select: { trigger: true, repository: { select: { owner: true, name: true, installationId: true } } },
    }));
  // A restore reads only memory; it needs no GitHub client, so it works without credentials.
  const github = sync && sync.trigger !== "restore" ? await deps.githubFor(sync.repository) : null;
  const events = runSync(
    {
      db: deps.db,
      github,
      now: deps.now,
      log: deps.log,
      maxFileSizeBytes: options.maxFileSizeBytes ?? deps.maxFileSizeBytes,
      signal: options.signal,
      pathFilter: options.pathFilter,
      configDigest: options.configDigest,
    },
    options.syncId,
    { claimed: options.claimed },
  );
  let started = false;
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) return next.value;
      started = true;
      options.onEvent?.(next.value);
    }
  } catch (error) {
    // Run now or not at all: a sync that could not start (its branch is busy) is not left queued behind.
    if (!started && (options.ifBusy ?? "cancel") === "cancel") {
      await cancelQueued(deps, options.syncId, toAppError(error));
    }
    throw error;
  }
}

async function cancelQueued(deps: ServiceDeps, syncId: string, error: AppError): Promise<void> {
  await deps.db.projectSync.updateMany({
    where: { id: syncId, status: "queued" },
    data: { status: "cancelled", errorCode: error.code, error: error.message, finishedAt: deps.now() },
  });
}
