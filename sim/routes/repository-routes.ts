import { rejectEmptyRepository } from "../reject-empty-repository.js";
import { renamedBranch } from "../renamed-branch.js";
import { HttpError, json, notFound } from "../reply.js";
import { readCommitInfo } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import type { SimRepository } from "../sim-repository.js";
import {
  repositoryApiUrl,
  requireRepository,
  requireRepositoryById,
  type SimulatorState,
} from "../simulator-state.js";
import { repositoryPayload } from "../webhooks/repository-payload.js";
import { restCommitJson } from "./commit-json.js";

const UNPROTECTED = {
  enabled: false,
  required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
};

/** `GET /repos/{owner}/{repo}` */
export const getRepository: RouteHandler = ({ sim, params }) =>
  json(repositoryPayload(sim, requireRepository(sim, params)));

/** `GET /repos/{owner}/{repo}/branches`, sorted by name, paginated with a Link header naming the repository by id. */
export const listBranches: RouteHandler = ({ sim, params, query }) =>
  branchPage(sim, requireRepository(sim, params), query);

/** `GET /repositories/{repository_id}/branches`: where GitHub's Link headers point. */
export const listBranchesById: RouteHandler = ({ sim, params, query }) =>
  branchPage(sim, requireRepositoryById(sim, params.repository_id ?? ""), query);

function branchPage(sim: SimulatorState, repository: SimRepository, query: URLSearchParams) {
  const perPage = Math.min(Math.max(Number(query.get("per_page")) || 30, 1), 100);
  const page = Math.max(Number(query.get("page")) || 1, 1);
  const names = [...repository.branches.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const api = repositoryApiUrl(sim, repository);
  const items = names.slice((page - 1) * perPage, page * perPage).map((name) => {
    const sha = repository.branches.get(name) as string;
    return {
      name,
      commit: { sha, url: `${api}/commits/${sha}` },
      protected: false,
      protection: UNPROTECTED,
      protection_url: `${api}/branches/${name}/protection`,
    };
  });
  const last = Math.max(Math.ceil(names.length / perPage), 1);
  const pageUrl = (n: number) =>
    `<${sim.apiUrl}/repositories/${repository.id}/branches?per_page=${perPage}&page=${n}>`;
  const links = [
    ...(page > 1 ? [`${pageUrl(page - 1)}; rel="prev"`] : []),
    ...(page < last ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`] : []),
    ...(page > 1 ? [`${pageUrl(1)}; rel="first"`] : []),
  ];
  return json(items, 200, links.length > 0 ? { link: links.join(", ") } : undefined);
}

const GET_BRANCH_DOCUMENTATION = "https://docs.github.com/rest/branches/branches#get-a-branch";

/**
 * `GET /repos/{owner}/{repo}/branches/{branch}`: the head commit with its tree. A renamed branch's old name answers
 * GitHub's 301 to the new name's URL (fetch, and so Octokit, follows it); an unknown name (an empty repository's
 * default branch too) 404.
 */
export const getBranch: RouteHandler = async ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  const name = params.branch ?? "";
  const sha = repository.branches.get(name);
  if (!sha) {
    const renamed = renamedBranch(repository, name);
    if (renamed === undefined) throw new HttpError(404, "Branch not found");
    const url = `${repositoryApiUrl(sim, repository)}/branches/${renamed.split("/").map(encodeURIComponent).join("/")}`;
    return json({ message: "Moved Permanently", url, documentation_url: GET_BRANCH_DOCUMENTATION }, 301, {
      location: url,
    });
  }
  const commit = await readCommitInfo(repository, sha);
  if (!commit) throw new HttpError(500, `simulator: branch ${name} points at ${sha}, which is not a commit`);
  const api = repositoryApiUrl(sim, repository);
  return json({
    name,
    commit: restCommitJson(sim, repository, commit),
    _links: {
      self: `${api}/branches/${name}`,
      html: `${sim.url}/${repository.owner}/${repository.name}/tree/${name}`,
    },
    protected: false,
    protection: UNPROTECTED,
    protection_url: `${api}/branches/${name}/protection`,
  });
};

/** `GET /repos/{owner}/{repo}/git/ref/{ref}`: exactly one ref (`heads/…` or `tags/…`); 409 if the repository is empty. */
export const getGitRef: RouteHandler = async ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  rejectEmptyRepository(repository, "https://docs.github.com/rest/git/refs#get-a-reference");
  const ref = await findRef(repository, params.ref ?? "");
  if (!ref) throw notFound();
  return json(refJson(sim, repository, ref));
};

/**
 * `GET /repos/{owner}/{repo}/git/refs/{ref}`, GitHub's older form: the ref itself when it exists, else every branch
 * under it as a prefix (an array), else 404; 409 if the repository is empty.
 */
export const getGitRefs: RouteHandler = async ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  rejectEmptyRepository(repository, "https://docs.github.com/rest/git/refs#list-matching-references");
  const wanted = params.ref ?? "";
  const exact = await findRef(repository, wanted);
  if (exact) return json(refJson(sim, repository, exact));
  if (!wanted.startsWith("heads/")) throw notFound();
  const prefix = wanted.slice("heads/".length).replace(/\/?$/, "/");
  const matching = [...repository.branches]
    .filter(([name]) => name.startsWith(prefix))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, sha]) => refJson(sim, repository, { ref: `refs/heads/${name}`, sha, type: "commit" }));
  if (matching.length === 0) throw notFound();
  return json(matching);
};

type FoundRef = { ref: string; sha: string; type: string };

async function findRef(repository: SimRepository, ref: string): Promise<FoundRef | null> {
  const path = ref.replace(/^refs\//, "");
  if (path.startsWith("heads/")) {
    const name = path.slice("heads/".length);
    const sha = repository.branches.get(name);
    return sha ? { ref: `refs/heads/${name}`, sha, type: "commit" } : null;
  }
  if (path.startsWith("tags/")) {
    const object = await repository.git.read(`refs/${path}`);
    return object ? { ref: `refs/${path}`, sha: object.sha, type: object.type } : null;
  }
  return null;
}

function refJson(sim: SimulatorState, repository: SimRepository, ref: FoundRef) {
  const api = repositoryApiUrl(sim, repository);
  return {
    ref: ref.ref,
    node_id: `REF_${ref.ref}`,
    url: `${api}/git/${ref.ref}`,
    object: { sha: ref.sha, type: ref.type, url: `${api}/git/${ref.type}s/${ref.sha}` },
  };
}
