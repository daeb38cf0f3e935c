import type { ProjectSync, Repository } from "../generated/prisma/client.js";
import type { SyncPhase, SyncStatus, SyncTrigger } from "../generated/prisma/enums.js";
import type { SyncCounts } from "./sync-event.js";

/** A sync as every surface shows it: CLI `--json`, REST, check-run summaries. */
export type SyncView = {
  id: string;
  repository: string;
  branch: string;
  status: SyncStatus;
  phase: SyncPhase | null;
  trigger: SyncTrigger;
  full: boolean;
  headSha: string | null;
  headTreeSha: string | null;
  baseSha: string | null;
  baseSyncId: string | null;
  previousSyncId: string | null;
  restoredFromSyncId: string | null;
  generation: number | null;
  counts: SyncCounts;
  stats: { filesFetched: number; bytesFetched: number; githubRequests: number };
  error: { code: string; message: string } | null;
  deliveryId: string | null;
  checkRunId: number | null;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** when every blob it holds was in the search index (search is complete before, by scanning the rest) */
  searchableAt: string | null;
};

export type SyncWithRepository = ProjectSync & { repository: Pick<Repository, "owner" | "name"> };

export function toSyncView(sync: SyncWithRepository): SyncView {
  return {
    id: sync.id,
    repository: `${sync.repository.owner}/${sync.repository.name}`,
    branch: sync.branch,
    status: sync.status,
    phase: sync.phase,
    trigger: sync.trigger,
    full: sync.full,
    headSha: sync.headSha,
    headTreeSha: sync.headTreeSha,
    baseSha: sync.baseSha,
    baseSyncId: sync.baseSyncId,
    previousSyncId: sync.previousSyncId,
    restoredFromSyncId: sync.restoredFromSyncId,
    generation: sync.generation,
    counts: countsOf(sync),
    stats: {
      filesFetched: sync.filesFetched,
      bytesFetched: Number(sync.bytesFetched),
      githubRequests: sync.githubRequests,
    },
    error: sync.errorCode ? { code: sync.errorCode, message: sync.error ?? "" } : null,
    deliveryId: sync.deliveryId,
    checkRunId: sync.checkRunId === null ? null : Number(sync.checkRunId),
    requestedBy: sync.requestedBy,
    createdAt: sync.createdAt.toISOString(),
    startedAt: sync.startedAt?.toISOString() ?? null,
    finishedAt: sync.finishedAt?.toISOString() ?? null,
    searchableAt: sync.searchableAt?.toISOString() ?? null,
  };
}

export function countsOf(sync: SyncCounts): SyncCounts {
  return {
    added: sync.added,
    modified: sync.modified,
    removed: sync.removed,
    renamed: sync.renamed,
    unchanged: sync.unchanged,
  };
}
