import type { SimRepository } from "../sim-repository.js";
import { repositoryApiUrl, type SimulatorState } from "../simulator-state.js";

/** A repository as GitHub's REST API and webhook payloads describe it (the fields apps read). */
export function repositoryPayload(sim: SimulatorState, repository: SimRepository): Record<string, unknown> {
  return {
    id: repository.id,
    node_id: `R_${repository.id}`,
    name: repository.name,
    full_name: `${repository.owner}/${repository.name}`,
    owner: { login: repository.owner, id: 1, type: "Organization" },
    private: repository.private,
    visibility: repository.private ? "private" : "public",
    fork: false,
    archived: false,
    disabled: false,
    default_branch: repository.defaultBranch,
    html_url: `${sim.url}/${repository.owner}/${repository.name}`,
    url: repositoryApiUrl(sim, repository),
  };
}
