import type { ApplicationFunction } from "probot";
import { handleCheckRun } from "../handlers/handle-check-run.js";
import { handleIssueComment } from "../handlers/handle-issue-comment.js";
import { handlePush } from "../handlers/handle-push.js";
import type { ProjectSyncAppDeps } from "../handlers/project-sync-app-deps.js";
import { handleInstallation } from "../installations/handle-installation.js";
import { handleInstallationRepositories } from "../installations/handle-installation-repositories.js";

/**
 * The Probot app: one thin handler per event (validate → record → enqueue), answering GitHub within milliseconds;
 * syncs run in the queue's workers. No server, no listen: main mounts it, tests drive it with `probot.receive`.
 * @example await probot.load(createProjectSyncApp({ service, reporter, worker, appId, tasks }))
 */
export function createProjectSyncApp(deps: ProjectSyncAppDeps): ApplicationFunction {
  return (app) => {
    app.on("push", handlePush(deps));
    app.on("issue_comment.created", handleIssueComment(deps));
    app.on(["check_run.rerequested", "check_run.requested_action"], handleCheckRun(deps));
    app.on("installation", handleInstallation(deps));
    app.on("installation_repositories", handleInstallationRepositories(deps));
  };
}
