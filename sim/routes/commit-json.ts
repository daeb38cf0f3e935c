import type { GitCommitInfo } from "../git/parse-commit.js";
import type { SimRepository } from "../sim-repository.js";
import { repositoryApiUrl, type SimulatorState } from "../simulator-state.js";

/** A commit as the REST commits API nests it (`GET /commits/{ref}`, branches, compare): `commit.tree.sha` inside. */
export function restCommitJson(sim: SimulatorState, repository: SimRepository, commit: GitCommitInfo) {
  const api = repositoryApiUrl(sim, repository);
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    commit: {
      author: commit.author,
      committer: commit.committer,
      message: commit.message.replace(/\n$/, ""),
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `${sim.url}/${repository.owner}/${repository.name}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    // The GitHub users of author and committer: null, as GitHub answers when no account has the commit's email.
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${sim.url}/${repository.owner}/${repository.name}/commit/${sha}`,
    })),
  };
}

/** A commit as the git database API returns it (`GET /git/commits/{sha}`): `tree.sha` at the top. */
export function gitCommitJson(sim: SimulatorState, repository: SimRepository, commit: GitCommitInfo) {
  const api = repositoryApiUrl(sim, repository);
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${sim.url}/${repository.owner}/${repository.name}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message.replace(/\n$/, ""),
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `${sim.url}/${repository.owner}/${repository.name}/commit/${sha}`,
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null },
  };
}
