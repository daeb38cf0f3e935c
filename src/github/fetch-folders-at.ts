import { z } from "zod";
import { AppError } from "../errors.js";
import { gitShaSchema } from "./git-sha-schema.js";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

export type FolderEntry = { name: string; mode: string; type: "blob" | "tree" | "commit"; sha: string };

export type FetchFoldersAtOptions = RepoParams & {
  client: GitHubClient;
  commit: string;
  /** folders ("" for the root, "a/b/" below it) whose entries are wanted */
  folders: readonly string[];
  /** folders whose SHA only is wanted */
  shasOf?: readonly string[];
};

export type FoldersAt = {
  /** the commit's root tree SHA */
  treeSha: string;
  /** folder → its entries, or null when the commit has no such folder */
  entries: Map<string, FolderEntry[] | null>;
  /** folder → its tree SHA, or null when absent */
  shas: Map<string, string | null>;
};

// Aliases per query: a few hundred folders' entries stay well inside GitHub's GraphQL limits.
const FOLDERS_PER_QUERY = 250;

// What `... on Tree { oid entries }` answers: `{}` when the path is not a tree (a file replaced the folder: the fragment
// does not match), null when there is nothing at the path; `entries` is nullable in GitHub's schema.
const treeSchema = z
  .union([
    z.object({
      oid: gitShaSchema,
      entries: z
        .array(
          z.object({
            name: z.string().min(1),
            mode: z.number().int(),
            type: z.enum(["blob", "tree", "commit"]),
            oid: gitShaSchema,
          }),
        )
        .nullable(),
    }),
    z.object({}).strict(),
  ])
  .nullable();
/** A non-recursive `GET /git/trees/{sha}` listing, as far as a folder's entries go. */
export const restTreeSchema = z.object({
  tree: z.array(
    z.object({
      path: z.string().min(1),
      mode: z.string().regex(/^[0-7]{6}$/),
      type: z.enum(["blob", "tree", "commit"]),
      sha: gitShaSchema,
    }),
  ),
});
const shaSchema = z.object({ oid: gitShaSchema }).nullable();
const commitSchema = z.object({ oid: gitShaSchema, tree: z.object({ oid: gitShaSchema }) });

/**
 * The entries of some folders of a commit (with their modes, which the compare API does not give) through GraphQL
 * `object(expression: "<commit>:<folder>")` aliases: one query per 250 folders.
 */
export async function fetchFoldersAt(options: FetchFoldersAtOptions): Promise<FoldersAt> {
  const { client, owner, repo, commit } = options;
  if (!gitShaSchema.safeParse(commit).success) {
    throw new AppError("BAD_INPUT", `"${commit}" is not a commit SHA.`);
  }
  const wanted = [
    ...options.folders.map((folder) => ({ folder, entries: true })),
    ...(options.shasOf ?? []).map((folder) => ({ folder, entries: false })),
  ];
  const result: FoldersAt = { treeSha: "", entries: new Map(), shas: new Map() };
  // trees GraphQL named but did not list (`entries: null`): listed over REST, one request each
  const unlisted: { folder: string; sha: string }[] = [];
  try {
    for (let start = 0; start === 0 || start < wanted.length; start += FOLDERS_PER_QUERY) {
      const batch = wanted.slice(start, start + FOLDERS_PER_QUERY);
      const fields = batch.map(({ folder, entries }, index) => {
        const expression = JSON.stringify(`${commit}:${folder.replace(/\/$/, "")}`);
        const selection = entries ? "... on Tree { oid entries { name mode type oid } }" : "oid";
        return `f${index}: object(expression: ${expression}) { ${selection} }`;
      });
      const head = `head: object(oid: "${commit}") { ... on Commit { oid tree { oid } } }`;
      const query = `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${head} ${fields.join(" ")} } }`;
      const data = z
        .object({ repository: z.record(z.string(), z.unknown()) })
        .parse(await client.graphql(query, { owner, name: repo }));
      result.treeSha = commitSchema.parse(data.repository.head).tree.oid;
      batch.forEach(({ folder, entries }, index) => {
        const value = data.repository[`f${index}`] ?? null;
        if (entries) {
          const tree = treeSchema.parse(value);
          if (!tree || !("oid" in tree)) {
            result.entries.set(folder, null); // nothing there, or a file: no folder here
          } else if (tree.entries === null) {
            unlisted.push({ folder, sha: tree.oid });
          } else {
            result.entries.set(
              folder,
              tree.entries.map((entry) => ({
                name: entry.name,
                mode: entry.mode.toString(8).padStart(6, "0"),
                type: entry.type,
                sha: entry.oid,
              })),
            );
          }
        } else {
          result.shas.set(folder, shaSchema.parse(value)?.oid ?? null);
        }
      });
    }
    for (const { folder, sha } of unlisted) {
      const response = await client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        owner,
        repo,
        tree_sha: sha,
      });
      result.entries.set(
        folder,
        restTreeSchema
          .parse(response.data)
          .tree.map((entry) => ({ name: entry.path, mode: entry.mode, type: entry.type, sha: entry.sha })),
      );
    }
    return result;
  } catch (error) {
    throw mapGitHubError(error, {
      what: `folders of commit ${commit} in ${owner}/${repo}`,
      notFound: "COMMIT_NOT_FOUND",
    });
  }
}
