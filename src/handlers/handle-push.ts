import type { Context } from "probot";
import { z } from "zod";
import { shouldReloadConfig } from "../repo-config/should-reload-config.js";
import { fromPayloadRepository } from "./from-payload-repository.js";
import type { ProjectSyncAppDeps } from "./project-sync-app-deps.js";
import { requestSync } from "./request-sync.js";
import { payloadInstallationSchema, payloadRepositorySchema, payloadUserSchema } from "./webhook-schemas.js";

const BRANCH_REF = "refs/heads/";

export const pushSchema = z.object({
  ref: z.string().min(1),
  before: z.string(),
  after: z.string(),
  created: z.boolean(),
  deleted: z.boolean(),
  forced: z.boolean(),
  commits: z.array(
    z.object({
      added: z.array(z.string()).optional(),
      modified: z.array(z.string()).optional(),
      removed: z.array(z.string()).optional(),
    }),
  ),
  repository: payloadRepositorySchema.extend({
    // a push's time on GitHub: epoch seconds in push payloads (a date-time string in others; null when unknown)
    pushed_at: z.union([z.number(), z.string(), z.null()]).optional(),
  }),
  installation: payloadInstallationSchema,
  // optional in GitHub's own description of the push payload
  sender: payloadUserSchema.nullish(),
  pusher: z.object({ name: z.string() }).nullish(),
});

/**
 * `push`: a branch push queues a sync of that branch at `after` (a deletion retires the branch's memory); tags and
 * branches the config does not track are ignored. No GitHub request unless the config must be re-read.
 */
export function handlePush(deps: ProjectSyncAppDeps) {
  return async (context: Context<"push">): Promise<void> => {
    const push = pushSchema.parse(context.payload);
    if (!push.ref.startsWith(BRANCH_REF)) {
      deps.service.log.debug(`Push of ${push.ref} ignored: only branches are synced`);
      return;
    }
    const branch = push.ref.slice(BRANCH_REF.length);
    const requested = await requestSync(deps, {
      repository: { upsert: fromPayloadRepository(push.repository, push.installation.id) },
      client: context.octokit,
      reloadConfig: (repository) => shouldReloadConfig(repository, { ...push, branch }),
      target: () => ({ branch }),
      sync: () => ({
        trigger: "push",
        pushBefore: push.before,
        pushedAt: pushTime(push.repository.pushed_at),
        deliveryId: context.id,
        requestedBy: push.sender?.login ?? push.pusher?.name,
        ...(push.deleted ? { deletesBranch: true } : { headSha: push.after, checkRun: true }),
      }),
    });
    if (requested.outcome === "untracked") {
      const { repository } = requested;
      deps.service.log.debug(
        `Push to ${repository.owner}/${repository.name}@${branch} ignored: the branch is not in the config's branches`,
      );
    }
  };
}

/** `repository.pushed_at` as a Date: epoch seconds, or a date-time string; null when absent or unreadable. */
function pushTime(value: number | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const time = typeof value === "number" ? value * 1000 : Date.parse(value);
  return Number.isFinite(time) ? new Date(time) : null;
}
