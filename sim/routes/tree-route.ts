import { type GitTreeEntry, listTree } from "../git/list-tree.js";
import { rejectEmptyRepository } from "../reject-empty-repository.js";
import { notFound } from "../reply.js";
import { resolveTreeSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import { repositoryApiUrl, requireRepository } from "../simulator-state.js";

/**
 * `GET /repos/{owner}/{repo}/git/trees/{sha}[?recursive=1]`. The SHA may name a commit (or be a branch name):
 * GitHub answers with the commit's tree, whose SHA the response carries. Any `recursive` value means recursive, as on
 * GitHub; a recursive listing past the truncation limits keeps its first entries and says `truncated: true`.
 * Responses are cached per tree: a tree SHA's listing never changes. An empty repository answers 409.
 */
export const getTree: RouteHandler = async ({ sim, params, query }) => {
  const repository = requireRepository(sim, params);
  rejectEmptyRepository(repository, "https://docs.github.com/rest/git/trees#get-a-tree");
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
  const head = `{"sha":"${treeSha}","url":"${api}/git/trees/${treeSha}","tree":[`;
  // The cap is on the whole body, so the envelope counts (with the longer ending, `false`, so either fits).
  const envelope = Buffer.byteLength(head) + Buffer.byteLength('],"truncated":false}');
  const parts: string[] = [];
  let bytes = envelope;
  let truncated = false;
  for (const entry of entries) {
    // Only the path needs escaping; mode, type and SHA are plain ASCII from git.
    const start = `{"path":${JSON.stringify(entry.path)},"mode":"${entry.mode}","type":"${entry.type}","sha":"${entry.sha}"`;
    const item =
      entry.type === "blob"
        ? `${start},"size":${entry.size ?? 0},"url":"${api}/git/blobs/${entry.sha}"}`
        : entry.type === "tree"
          ? `${start},"url":"${api}/git/trees/${entry.sha}"}`
          : `${start}}`;
    // Bytes, not string length: a non-ASCII path takes more UTF-8 bytes than UTF-16 units.
    const itemBytes = Buffer.byteLength(item) + (parts.length > 0 ? 1 : 0);
    if (parts.length >= limit || bytes + itemBytes > byteLimit) {
      truncated = true;
      break;
    }
    parts.push(item);
    bytes += itemBytes;
  }
  return `${head}${parts.join(",")}],"truncated":${truncated}}`;
}
