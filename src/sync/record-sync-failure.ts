import { AppError } from "../errors.js";
import { failRunningSync } from "../sync-record/fail-running-sync.js";
import type { SyncRunState } from "./create-sync-emitter.js";
import type { SyncContext } from "./sync-context.js";
import type { SyncEvent } from "./sync-event.js";
import type { SyncWithRepository } from "./sync-view.js";
import { toSyncError } from "./to-sync-error.js";

export type SyncFailure = {
  /** the sync as it ended (failed or cancelled here, or what another process made of it) */
  sync: SyncWithRepository;
  /** the final event's error: whether a retry may succeed, and when GitHub's rate limit resets */
  error: NonNullable<SyncEvent["error"]>;
};

/**
 * A run that threw or was cancelled (`deps.signal`) ends here: logged, and recorded failed or cancelled with its error
 * and what it got to fetch. Memory is untouched (only phase 4's transaction writes it).
 */
export async function recordSyncFailure(
  context: SyncContext,
  state: SyncRunState,
  thrown: unknown,
): Promise<SyncFailure> {
  const { deps, sync, repository } = context;
  const cancelled = deps.signal?.aborted === true;
  const error = cancelled
    ? new AppError("CONFLICT", `Cancelled: ${String(deps.signal?.reason ?? "superseded")}`)
    : toSyncError(thrown);
  const status = cancelled ? "cancelled" : "failed";
  deps.log.warn(
    `sync ${sync.id} of ${repository.key}@${sync.branch} ${status} in ${state.phase}: ${error.message}`,
  );
  await failRunningSync(deps.db, {
    syncId: sync.id,
    status,
    error,
    now: deps.now(),
    fields: {
      configDigest: deps.configDigest ?? null,
      filesFetched: state.filesFetched,
      bytesFetched: BigInt(state.bytesFetched),
      githubRequests: context.githubRequests(),
    },
  });
  const ended = await deps.db.projectSync.findUniqueOrThrow({
    where: { id: sync.id },
    include: { repository: true },
  });
  return {
    sync: ended,
    error: {
      code: error.code,
      message: error.message,
      retryable: !cancelled && error.retryable,
      retryAt: error.retryAt?.toISOString() ?? null,
    },
  };
}
