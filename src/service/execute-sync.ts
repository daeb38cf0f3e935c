import { type AppError, toAppError } from "../errors.js";
import { runSync } from "../sync/run-sync.js";
import type { SyncEvent } from "../sync/sync-event.js";
import type { SyncView } from "../sync/sync-view.js";
import type { ServiceDeps } from "./service-deps.js";

export type ExecuteSyncOptions = {
  syncId: string;
  onEvent?: (event: SyncEvent) => void;
  signal?: AbortSignal;
  pathFilter?: (path: string) => boolean;
};

/** Runs a queued sync to its end (the pipeline's events go to `onEvent`) and returns it finished. */
export async function executeSync(deps: ServiceDeps, options: ExecuteSyncOptions): Promise<SyncView> {
  const sync = await deps.db.projectSync.findUnique({
    where: { id: options.syncId },
    select: { trigger: true, repository: { select: { owner: true, name: true, installationId: true } } },
  });
  // A restore reads only memory; it needs no GitHub client, so it works without credentials.
  const github = sync && sync.trigger !== "restore" ? await deps.githubFor(sync.repository) : null;
  const events = runSync(
    {
      db: deps.db,
      github,
      now: deps.now,
      log: deps.log,
      maxFileSizeBytes: deps.maxFileSizeBytes,
      signal: options.signal,
      pathFilter: options.pathFilter,
    },
    options.syncId,
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
    if (!started) await cancelQueued(deps, options.syncId, toAppError(error));
    throw error;
  }
}

async function cancelQueued(deps: ServiceDeps, syncId: string, error: AppError): Promise<void> {
  await deps.db.projectSync.updateMany({
    where: { id: syncId, status: "queued" },
    data: { status: "cancelled", errorCode: error.code, error: error.message, finishedAt: deps.now() },
  });
}
