import { json, notFound } from "../reply.js";
import type { RouteHandler } from "../router.js";
import { requireRepository } from "../simulator-state.js";

/** The simulated GitHub App (any JWT is accepted). */
export const SIM_APP = { id: 1, slug: "project-sync-sim", name: "Project Sync (simulated)" };

/** `GET /app` */
export const getApp: RouteHandler = ({ sim }) =>
  json({
    ...SIM_APP,
    owner: { login: "sim", type: "Organization" },
    html_url: `${sim.url}/apps/${SIM_APP.slug}`,
  });

/** `POST /app/installations/{installation_id}/access_tokens`: a fresh token, valid for an hour, for a known installation. */
export const createInstallationToken: RouteHandler = ({ sim, params }) => {
  const id = Number(params.installation_id);
  const known = [...sim.repositories.values()].some((repository) => repository.installationId === id);
  if (!known) throw notFound();
  const serial = sim.nextId.token++;
  return json(
    {
      token: `ghs_sim${String(serial).padStart(6, "0")}${Math.random().toString(36).slice(2, 12)}`,
      expires_at: new Date(Date.now() + 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      permissions: {
        contents: "read",
        metadata: "read",
        checks: "write",
        issues: "write",
        pull_requests: "read",
      },
      repository_selection: "all",
    },
    201,
  );
};

/** `GET /repos/{owner}/{repo}/installation` */
export const getRepositoryInstallation: RouteHandler = ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  return json({
    id: repository.installationId,
    app_id: SIM_APP.id,
    app_slug: SIM_APP.slug,
    account: { login: repository.owner },
    target_type: "Organization",
    repository_selection: "all",
  });
};
