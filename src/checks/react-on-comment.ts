import type { Db } from "../db/create-prisma-client.js";
import { toAppError } from "../errors.js";
import { addCommentReaction } from "../github/add-comment-reaction.js";
import { repoParams } from "../github/github-client.js";
import { requireGitHub } from "../github/require-github.js";
import type { Logger } from "../logger.js";
import type { ServiceDeps } from "../service/service-deps.js";
import { findFinalOutcome } from "./find-final-outcome.js";
import { isPermanentFailure } from "./github-check-runs.js";

export type ReactOnCommentDeps = {
  db: Db;
  githubFor: ServiceDeps["githubFor"];
  log: Logger;
  now: () => Date;
};

/**
 * The last word on a `/sync` comment: `rocket` when the request it made ended in success, `-1` when it failed or was
 * cancelled (following a superseded sync to the one that replaced it, a failed one to its re-run). Nothing while that
 * is not known yet. Reacting twice is harmless (GitHub keeps one reaction per user and content), so the reaction is
 * recorded after it was made; a comment that is gone or not writable is given up with a warning.
 */
export async function reactOnComment(deps: ReactOnCommentDeps, syncId: string): Promise<void> {
  const sync = await deps.db.projectSync.findUnique({
    where: { id: syncId },
    select: {
      id: true,
      repositoryId: true,
      branch: true,
      status: true,
      supersededById: true,
      commentId: true,
      commentReactedAt: true,
      repository: { select: { owner: true, name: true, installationId: true } },
    },
  });
  if (!sync || sync.commentId === null || sync.commentReactedAt !== null) return;
  const outcome = await findFinalOutcome(deps.db, sync);
  if (outcome === null) return;
  const content = outcome === "succeeded" ? "rocket" : "-1";
  try {
    const client = requireGitHub(await deps.githubFor(sync.repository));
    await addCommentReaction({
      client,
      ...repoParams(sync.repository),
      commentId: sync.commentId,
      content,
    });
  } catch (error) {
    const appError = toAppError(error);
    if (!isPermanentFailure(appError)) {
      deps.log.warn(
        `Could not react on comment ${sync.commentId} (sync ${sync.id}); the sweep retries: ${appError.message}`,
      );
      return;
    }
    deps.log.warn(
      `Giving up the reaction on comment ${sync.commentId} (sync ${sync.id}): ${appError.message}`,
    );
  }
  await deps.db.projectSync.updateMany({
    where: { id: sync.id, commentReactedAt: null },
    data: { commentReactedAt: deps.now() },
  });
}
