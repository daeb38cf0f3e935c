import type { Probot } from "probot";
import type { ProjectSyncAppDeps } from "../handlers/project-sync-app-deps.js";
import { reconcileInstallations } from "../installations/reconcile-installations.js";

// What was missed while the app did not hear from GitHub (installations, pushes) is caught up this often and at start-up.
const RECONCILE_MS = 60 * 60 * 1000;

/** Reconcile at start-up and every hour (one run at a time in this process); the caller clears the timer. */
export function scheduleReconcile(deps: ProjectSyncAppDeps, probot: Probot): NodeJS.Timeout {
  let reconciling = false;
  const reconcile = () => {
    if (reconciling) return;
    reconciling = true;
    deps.tasks.run("Reconcile installations", async () => {
      try {
        const result = await reconcileInstallations(deps, {
          appClient: () => probot.auth(),
          installationClient: (id) => probot.auth(id),
        });
        deps.service.log.info(
          `Reconciled ${result.installations} installation(s): ${result.repositories} repositories, ${result.queued} first sync(s) queued, ${result.caughtUp} missed push(es) caught up, ${result.deactivated} deactivated`,
        );
      } finally {
        reconciling = false;
      }
    });
  };
  reconcile();
  return setInterval(reconcile, RECONCILE_MS);
}
