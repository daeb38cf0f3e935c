import { z } from "zod";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

export type FetchCompareOptions = RepoParams & { client: GitHubClient; base: string; head: string };

export type ComparedFile = {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  previousPath: string | null;
};

export type Comparison = {
  status: "ahead" | "behind" | "identical" | "diverged";
  /** the files that differ, or null when GitHub's list may be cut short (it stops at 300 files) */
  files: ComparedFile[] | null;
};

// GitHub lists at most 300 files in a comparison; a list that long may be incomplete.
const MAX_COMPARE_FILES = 300;

const compareSchema = z.object({
  status: z.enum(["ahead", "behind", "identical", "diverged"]),
  files: z
    .array(
      z.object({
        filename: z.string().min(1),
        status: z.enum(["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"]),
        previous_filename: z.string().optional(),
      }),
    )
    .optional(),
});

/**
 * What changed between two commits, in one request. `per_page=1` keeps the commit list short; GitHub returns the
 * changed files on the first page whatever the page size.
 */
export async function fetchCompare(options: FetchCompareOptions): Promise<Comparison> {
  const { client, owner, repo, base, head } = options;
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner,
      repo,
      basehead: `${base}...${head}`,
      per_page: 1,
      // No retries: a comparison GitHub fails to compute (5xx, often a timeout on a large one) fails again; the
      // caller lists the tree instead, which always works.
      request: { retries: 0 },
    });
    const data = compareSchema.parse(response.data);
    const complete = data.files !== undefined && data.files.length < MAX_COMPARE_FILES;
    return {
      status: data.status,
      files: complete
        ? (data.files ?? []).map((file) => ({
            path: file.filename,
            status: file.status,
            previousPath: file.previous_filename ?? null,
          }))
        : null,
    };
  } catch (error) {
    throw mapGitHubError(error, {
      what: `comparison ${base}...${head} of ${owner}/${repo}`,
      notFound: "COMMIT_NOT_FOUND",
    });
  }
}
