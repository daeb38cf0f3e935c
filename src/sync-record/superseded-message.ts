import type { ProjectSync } from "../generated/prisma/client.js";

/** Why a queued sync was cancelled in favour of `newer`, as its `error` says it (and its check run shows it). */
export function supersededMessage(newer: Pick<ProjectSync, "id" | "headSha" | "deletesBranch">): string {
  const at = newer.deletesBranch
    ? "deleting the branch"
    : newer.headSha
      ? `at ${newer.headSha.slice(0, 7)}`
      : "at the branch head";
  return `Superseded by a newer request (sync ${newer.id} ${at})`;
}
