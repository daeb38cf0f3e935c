import type { Context } from "probot";
import { z } from "zod";
import type { ProjectSyncAppDeps } from "../handlers/project-sync-app-deps.js";
import { installedRepositorySchema, payloadInstallationSchema } from "../handlers/webhook-schemas.js";
import { deactivateRepositories } from "./deactivate-repositories.js";
import { syncInstalledRepositories } from "./sync-installed-repositories.js";

export const installationRepositoriesSchema = z.object({
  action: z.enum(["added", "removed"]),
  installation: payloadInstallationSchema,
  repositories_added: z.array(installedRepositorySchema),
  repositories_removed: z.array(installedRepositorySchema),
});

/**
 * `installation_repositories`: added → a first sync of each added repository (background, four at a time);
 * removed → those repositories inactive and their queued syncs cancelled.
 */
export function handleInstallationRepositories(deps: ProjectSyncAppDeps) {
  return async (context: Context<"installation_repositories">): Promise<void> => {
    const payload = installationRepositoriesSchema.parse(context.payload);
    const installationId = payload.installation.id;
    if (payload.action === "removed") {
      await deactivateRepositories(deps.service, {
        githubIds: payload.repositories_removed.map((repository) => repository.id),
        reason: "removed from the repository",
      });
      return;
    }
    const fullNames = payload.repositories_added.map((repository) => repository.full_name);
    if (fullNames.length === 0) return;
    deps.tasks.run(`First syncs of repositories added to installation ${installationId}`, () =>
      syncInstalledRepositories(deps, {
        client: context.octokit,
        installationId,
        fullNames,
        deliveryId: context.id,
      }),
    );
  };
}
