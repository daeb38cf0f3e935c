import { HttpError, json, notFound } from "../reply.js";
import type { RouteHandler } from "../router.js";
import type { SimRepository } from "../sim-repository.js";
import type { SimulatorState } from "../simulator-state.js";
import { requireRepository } from "../simulator-state.js";
import { tokenInstallation } from "../token-installation.js";
import { paginate } from "./paginate.js";

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
  const token = `ghs_sim${String(serial).padStart(6, "0")}${Math.random().toString(36).slice(2, 12)}`;
  sim.tokens.set(token, id);
  return json(
    {
      token,
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

/** `GET /app/installations` (JWT): one installation per installation id the served repositories name. */
export const listInstallations: RouteHandler = ({ sim }) => {
  const installations = new Map<number, SimRepository>();
  for (const repository of sim.repositories.values()) {
    if (!installations.has(repository.installationId))
      installations.set(repository.installationId, repository);
  }
  return json([...installations].map(([id, repository]) => installationJson(sim, id, repository.owner)));
};

/** An installation as GitHub's REST API answers it (`installation`), on an organization account named `owner`. */
export function installationJson(sim: SimulatorState, id: number, owner: string) {
  return {
    id,
    app_id: SIM_APP.id,
    app_slug: SIM_APP.slug,
    account: { login: owner, id: id + 1000, type: "Organization" },
    target_type: "Organization",
    repository_selection: "selected",
    access_tokens_url: `${sim.apiUrl}/app/installations/${id}/access_tokens`,
    permissions: {
      contents: "read",
      metadata: "read",
      checks: "write",
      issues: "write",
      pull_requests: "read",
    },
    events: ["push", "issue_comment", "check_run"],
    suspended_at: null,
  };
}

/** `GET /installation/repositories` (installation token): the repositories of the token's installation. */
export const listInstallationRepositories: RouteHandler = ({ sim, headers, query }) => {
  const installationId = installationOfToken(sim, headers.authorization);
  const repositories = [...sim.repositories.values()]
    .filter((repository) => repository.installationId === installationId)
    .sort((a, b) => a.id - b.id);
  const { slice, link } = paginate(sim, "/installation/repositories", repositories, query);
  return json(
    {
      total_count: repositories.length,
      repository_selection: "selected",
      repositories: slice.map(listedRepositoryJson),
    },
    200,
    link,
  );
};

/** A repository as an installation's repository lists show it (the fields clients read). */
export function listedRepositoryJson(repository: SimRepository) {
  return {
    id: repository.id,
    node_id: `R_${repository.id}`,
    name: repository.name,
    full_name: `${repository.owner}/${repository.name}`,
    private: repository.private,
    owner: { login: repository.owner, type: "Organization" },
    default_branch: repository.defaultBranch,
  };
}

function installationOfToken(sim: SimulatorState, authorization: string | undefined): number {
  const id = tokenInstallation(sim, authorization);
  if (id === undefined) throw new HttpError(401, "Bad credentials");
  return id;
}
