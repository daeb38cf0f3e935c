import { json, notFound } from "../reply.js";
import { resolveCommitSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import { repositoryApiUrl, requireRepository } from "../simulator-state.js";

const RAW_ACCEPT = /application\/vnd\.github(?:\.v3)?\.raw/;

/**
 * `GET /repos/{owner}/{repo}/contents/{path}[?ref=]`, for single files (a repository config such as
 * `.github/project-sync.yml`): base64 JSON, or the bytes with the raw media type (`.raw` or `.v3.raw`, answered as
 * `application/vnd.github.v3.raw; charset=utf-8` like GitHub). `ref` defaults to the default branch; folders, missing
 * paths and an empty repository are 404.
 */
export const getContents: RouteHandler = async ({ sim, params, query, headers }) => {
  const repository = requireRepository(sim, params);
  // Not the git APIs' 409: the contents API says so in a 404.
  if (repository.empty) throw notFound("This repository is empty.");
  const path = params.path ?? "";
  const commit = await resolveCommitSha(repository, query.get("ref") ?? repository.defaultBranch);
  if (!commit) throw notFound(`No commit found for the ref ${query.get("ref")}`);
  const object = await repository.git.read(`${commit}:${path}`);
  if (object?.type !== "blob") throw notFound();
  if (RAW_ACCEPT.test(headers.accept ?? "")) {
    // GitHub's raw content type ends in a charset, which is what makes Octokit hand back text rather than bytes.
    return {
      status: 200,
      headers: { "content-type": "application/vnd.github.v3.raw; charset=utf-8" },
      body: object.content,
    };
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
