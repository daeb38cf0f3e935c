import type { Context } from "probot";
import { z } from "zod";
import { CHECK_RUN_NAME, FULL_RESYNC_ACTION } from "../checks/build-check-run-request.js";
import { isAppError } from "../errors.js";
import { fetchBranchHead } from "../github/fetch-branch-head.js";
import { fromPayloadRepository } from "./from-payload-repository.js";
import type { ProjectSyncAppDeps } from "./project-sync-app-deps.js";
import { requestSync } from "./request-sync.js";
import { payloadInstallationSchema, payloadRepositorySchema, payloadUserSchema } from "./webhook-schemas.js";

export const checkRunSchema = z.object({
  action: z.enum(["rerequested", "requested_action"]),
  check_run: z.object({
    name: z.string(),
    // both nullable in GitHub's description of the payload
    app: z.object({ id: z.number().int() }).nullable(),
    check_suite: z.object({ head_branch: z.string().min(1).nullish() }),
  }),
  requested_action: z.object({ identifier: z.string() }).nullish(),
  repository: payloadRepositorySchema,
  installation: payloadInstallationSchema,
  sender: payloadUserSchema.nullish(),
});

/**
 * `check_run.rerequested` (Re-run) and `check_run.requested_action` (the "Full resync" button) on this app's own
 * check runs: the branch is synced again at its current head. Other apps' check runs are ignored.
 */
export function handleCheckRun(deps: ProjectSyncAppDeps) {
  return async (context: Context<"check_run.rerequested" | "check_run.requested_action">): Promise<void> => {
    const payload = checkRunSchema.parse(context.payload);
    const { check_run: checkRun } = payload;
    if (checkRun.app?.id !== deps.appId || checkRun.name !== CHECK_RUN_NAME) return;
    const full = payload.action === "requested_action";
    if (full && payload.requested_action?.identifier !== FULL_RESYNC_ACTION.identifier) return;
    const branch = checkRun.check_suite.head_branch;
    const name = `${payload.repository.owner.login}/${payload.repository.name}`;
    if (!branch) {
      deps.service.log.info(`Re-run on ${name} ignored: the check suite has no head branch`);
      return;
    }

    const client = context.octokit;
    const requested = await requestSync(deps, {
      repository: { upsert: fromPayloadRepository(payload.repository, payload.installation.id) },
      client,
      target: () => ({ branch }),
      sync: async (repository) => {
        let headSha: string;
        try {
          headSha = (
            await fetchBranchHead({ client, owner: repository.owner, repo: repository.name, branch })
          ).commitSha;
        } catch (error) {
          if (!isAppError(error) || (error.code !== "BRANCH_NOT_FOUND" && error.code !== "BRANCH_RENAMED"))
            throw error;
          return { refusal: error.message };
        }
        return {
          headSha,
          full,
          trigger: "rerequest",
          requestedBy: payload.sender?.login,
          deliveryId: context.id,
          checkRun: true,
        };
      },
    });
    if (requested.outcome === "untracked") {
      deps.service.log.info(`Re-run on ${name}@${branch} ignored: the config no longer tracks the branch`);
    } else if (requested.outcome === "refused") {
      deps.service.log.info(`Re-run on ${name}@${branch} ignored: ${requested.refusal}`);
    }
  };
}
