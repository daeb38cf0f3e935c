import type { Context } from "probot";
import { z } from "zod";
import type { ProjectSyncAppDeps } from "../handlers/project-sync-app-deps.js";
import { installedRepositorySchema, payloadInstallationSchema } from "../handlers/webhook-schemas.js";
import { deactivateRepositories } from "./deactivate-repositories.js";
import { syncInstalledRepositories } from "./sync-installed-repositories.js";

export const installationSchema = z.object({
  action: z.string(),
  installation: payloadInstallationSchema,
  repositories: z.array(installedRepositorySchema).optional(),
});

/**
 * `installation`: created → a first sync of every repository it covers (in the background, four at a time);
 * deleted or suspended → its repositories inactive and their queued syncs cancelled; unsuspended → active again,
 * with a sync of each default branch for the pushes missed meanwhile.
 */
export function handleInstallation(deps: ProjectSyncAppDeps) {
  return async (context: Context<"installation">): Promise<void> => {
    const payload = installationSchema.parse(context.payload);
    const installationId = payload.installation.id;
    switch (payload.action) {
      case "created": {
        const fullNames = (payload.repositories ?? []).map((repository) => repository.full_name);
        startSyncs(deps, context, installationId, fullNames);
        return;
      }
      case "deleted":
      case "suspend":
        await deactivateRepositories(deps.service, {
          installationId,
          githubIds: (payload.repositories ?? []).map((repository) => repository.id),
          reason: payload.action === "deleted" ? "uninstalled" : "suspended",
        });
        return;
      case "unsuspend": {
        const repositories = await deps.service.db.repository.findMany({
          where: { installationId: BigInt(installationId) },
          select: { owner: true, name: true },
        });
        startSyncs(
          deps,
          context,
          installationId,
          repositories.map((repository) => `${repository.owner}/${repository.name}`),
        );
        return;
      }
      default:
        return;
    }
  };
}

function startSyncs(
  deps: ProjectSyncAppDeps,
  context: Pick<Context, "id" | "octokit">,
  installationId: number,
  fullNames: string[],
): void {
  if (fullNames.length === 0) return;
  deps.tasks.run(`First syncs of installation ${installationId}`, () =>
    syncInstalledRepositories(deps, {
      client: context.octokit,
      installationId,
      fullNames,
      deliveryId: context.id,
    }),
  );
}
