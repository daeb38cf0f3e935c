import { rejectEmptyRepository } from "../reject-empty-repository.js";
import { json, notFound, unprocessable } from "../reply.js";
import type { RouteHandler } from "../router.js";
import { repositoryApiUrl, requireRepository } from "../simulator-state.js";

const RAW_ACCEPT = /application\/vnd\.github(?:\.v3)?\.raw/;

/**
 * `GET /repos/{owner}/{repo}/git/blobs/{sha}`: JSON with base64 content (wrapped at 60 columns, like GitHub),
 * or the exact bytes with `Accept: application/vnd.github.raw` (also `.raw+json`). An empty repository answers 409.
 */
export const getBlob: RouteHandler = async ({ sim, params, headers }) => {
  const repository = requireRepository(sim, params);
  rejectEmptyRepository(repository, "https://docs.github.com/rest/git/blobs#get-a-blob");
  const sha = (params.sha ?? "").toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw unprocessable("The sha parameter must be exactly 40 characters and contain only [0-9a-f].");
  }
  const object = await repository.git.read(sha);
  if (object?.type !== "blob") throw notFound();
  if (RAW_ACCEPT.test(headers.accept ?? "")) {
    return { status: 200, headers: { "content-type": "application/vnd.github.raw" }, body: object.content };
  }
  return json({
    sha: object.sha,
    node_id: `B_${object.sha}`,
    size: object.size,
    url: `${repositoryApiUrl(sim, repository)}/git/blobs/${object.sha}`,
    content: wrapBase64(object.content.toString("base64")),
    encoding: "base64",
  });
};

function wrapBase64(base64: string): string {
  const lines: string[] = [];
  for (let start = 0; start < base64.length; start += 60) lines.push(base64.slice(start, start + 60));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
