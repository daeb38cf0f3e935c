import { json, notFound } from "../reply.js";
import { resolveCommitSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import { repositoryApiUrl, requireRepository } from "../simulator-state.js";

const RAW_ACCEPT = /application\/vnd\.github(?:\.v3)?\.raw/;

/**
 * `GET /repos/{owner}/{repo}/contents/{path}[?ref=]`, for single files (a repository config such as
 * `.github/project-sync.yml`): base64 JSON, or the bytes with the raw media type. `ref` defaults to the default
 * branch; folders and missing paths are 404.
 */
export const getContents: RouteHandler = async ({ sim, params, query, headers }) => {
  const repository = requireRepository(sim, params);
  const path = params.path ?? "";
  const commit = await resolveCommitSha(repository, query.get("ref") ?? repository.defaultBranch);
  if (!commit) throw notFound(`No commit found for the ref ${query.get("ref")}`);
  const object = await repository.git.read(`${commit}:${path}`);
  if (object?.type !== "blob") throw notFound();
  if (RAW_ACCEPT.test(headers.accept ?? "")) {
    return { status: 200, headers: { "content-type": "application/vnd.github.raw" }, body: object.content };
  }
  const api = repositoryApiUrl(sim, repository);
  return json({
    type: "file",
    encoding: "base64",
    size: object.size,
    name: path.slice(path.lastIndexOf("/") + 1),
    path,
    content: object.content.toString("base64"),
    sha: object.sha,
    url: `${api}/contents/${path}?ref=${commit}`,
    git_url: `${api}/git/blobs/${object.sha}`,
  });
};
