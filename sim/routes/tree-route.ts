import { type GitTreeEntry, listTree } from "../git/list-tree.js";
import { notFound } from "../reply.js";
import { resolveTreeSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import { repositoryApiUrl, requireRepository } from "../simulator-state.js";

/**
 * `GET /repos/{owner}/{repo}/git/trees/{sha}[?recursive=1]`. The SHA may name a commit (or be a branch name):
 * GitHub answers with the commit's tree, whose SHA the response carries. Any `recursive` value means recursive, as on
 * GitHub; a recursive listing past the truncation limits keeps its first entries and says `truncated: true`.
 * Responses are cached per tree: a tree SHA's listing never changes.
 */
export const getTree: RouteHandler = async ({ sim, params, query }) => {
  const repository = requireRepository(sim, params);
  const treeSha = await resolveTreeSha(repository, params.sha ?? "");
  if (!treeSha) throw notFound();
  const recursive = query.has("recursive");
  const key = `${repository.id}:${treeSha}:${recursive}:${sim.treeTruncateLimit}:${sim.treeTruncateBytes}`;
  let body = sim.treeCache.get(key);
  if (!body) {
    const entries = await listTree({ gitDir: repository.gitDir, treeish: treeSha, recursive });
    const api = repositoryApiUrl(sim, repository);
    const limit = recursive ? sim.treeTruncateLimit : Number.POSITIVE_INFINITY;
    const byteLimit = recursive ? sim.treeTruncateBytes : Number.POSITIVE_INFINITY;
    body = Buffer.from(serializeTree({ api, treeSha, entries, limit, byteLimit }));
    sim.treeCache.set(key, body);
  }
  return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body };
};

type SerializeTreeOptions = {
  api: string;
  treeSha: string;
  entries: GitTreeEntry[];
  limit: number;
  byteLimit: number;
};

// Built as text, one entry at a time: a 100,000-entry listing is ~20 MB, and the byte cap needs each entry's size.
function serializeTree(options: SerializeTreeOptions): string {
  const { api, treeSha, entries, limit, byteLimit } = options;
  const parts: string[] = [];
  let bytes = 0;
  let truncated = false;
  for (const entry of entries) {
    // Only the path needs escaping; mode, type and SHA are plain ASCII from git.
    const head = `{"path":${JSON.stringify(entry.path)},"mode":"${entry.mode}","type":"${entry.type}","sha":"${entry.sha}"`;
    const item =
      entry.type === "blob"
        ? `${head},"size":${entry.size ?? 0},"url":"${api}/git/blobs/${entry.sha}"}`
        : entry.type === "tree"
          ? `${head},"url":"${api}/git/trees/${entry.sha}"}`
          : `${head}}`;
    if (parts.length >= limit || bytes + item.length > byteLimit) {
      truncated = true;
      break;
    }
    parts.push(item);
    bytes += item.length + 1;
  }
  return `{"sha":"${treeSha}","url":"${api}/git/trees/${treeSha}","tree":[${parts.join(",")}],"truncated":${truncated}}`;
}
