import { z } from "zod";
import type { GitHubClient, RepoParams } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

const permissionSchema = z.object({ permission: z.string(), role_name: z.string().optional() });
const WRITE_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * Whether a user may start syncs: write, maintain or admin on the repository (`role_name`, or `permission` for a
 * custom role built on write). Someone who is no collaborator at all (404) may not.
 */
export async function canWrite(
  options: RepoParams & { client: GitHubClient; username: string },
): Promise<boolean> {
  const { client, owner, repo, username } = options;
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      owner,
      repo,
      username,
    });
    const { permission, role_name } = permissionSchema.parse(response.data);
    return WRITE_ROLES.has(permission) || (role_name !== undefined && WRITE_ROLES.has(role_name));
  } catch (error) {
    const mapped = mapGitHubError(error, { what: `${username}'s permission on ${owner}/${repo}` });
    if (mapped.code === "NOT_FOUND") return false;
    throw mapped;
  }
}
