import { HttpError, json, notFound } from "../reply.js";
import type { RouteHandler } from "../router.js";
import { rolePermissions, type SimPermission, type SimRepository } from "../sim-repository.js";
import type { SimulatorState } from "../simulator-state.js";
import { installationJson, listedRepositoryJson } from "./app-routes.js";
import { paginate } from "./paginate.js";
import { userIdOf, userJson } from "./user-json.js";

/** `GET /user` (user access token): the signed-in person. */
export const getAuthenticatedUser: RouteHandler = ({ sim, headers }) => {
  const login = userOfToken(sim, headers.authorization);
  return json({ ...userJson(sim, { login, id: userIdOf(login), type: "User" }), name: login });
};

/**
 * `GET /user/installations`: the app's installations covering a repository the person has an explicit role on
 * (read or more, set with setPermission; unlike the collaborator-permission route there is no default role).
 */
export const listUserInstallations: RouteHandler = ({ sim, headers, query }) => {
  const login = userOfToken(sim, headers.authorization);
  const owners = new Map<number, string>();
  for (const repository of readableRepositories(sim, login)) {
    if (!owners.has(repository.installationId)) owners.set(repository.installationId, repository.owner);
  }
  const installations = [...owners].sort(([a], [b]) => a - b);
  const { slice, link } = paginate(sim, "/user/installations", installations, query);
  return json(
    {
      total_count: installations.length,
      installations: slice.map(([id, owner]) => installationJson(sim, id, owner)),
    },
    200,
    link,
  );
};

/**
 * `GET /user/installations/{installation_id}/repositories`: that installation's repositories the person can read,
 * each with the `permissions` of their role; 404 when they can read none of it (GitHub hides it).
 */
export const listUserInstallationRepositories: RouteHandler = ({ sim, headers, params, query }) => {
  const login = userOfToken(sim, headers.authorization);
  const id = Number(params.installation_id);
  const repositories = readableRepositories(sim, login).filter(
    (repository) => repository.installationId === id,
  );
  if (repositories.length === 0) throw notFound();
  const path = `/user/installations/${id}/repositories`;
  const { slice, link } = paginate(sim, path, repositories, query);
  return json(
    {
      total_count: repositories.length,
      repository_selection: "selected",
      repositories: slice.map((repository) => ({
        ...listedRepositoryJson(repository),
        permissions: rolePermissions(roleOf(repository, login)),
      })),
    },
    200,
    link,
  );
};

function readableRepositories(sim: SimulatorState, login: string): SimRepository[] {
  return [...sim.repositories.values()]
    .filter((repository) => roleOf(repository, login) !== "none")
    .sort((a, b) => a.id - b.id);
}

function roleOf(repository: SimRepository, login: string): SimPermission {
  return repository.permissions.get(login.toLowerCase()) ?? "none";
}

/** The login a user access token (`ghu_…`) belongs to; GitHub's 401 for an unknown or expired one. */
function userOfToken(sim: SimulatorState, authorization: string | undefined): string {
  const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? "";
  const grant = sim.oauth.accessTokens.get(token);
  if (!grant || grant.expiresAt <= sim.now()) throw new HttpError(401, "Bad credentials");
  return grant.login;
}
