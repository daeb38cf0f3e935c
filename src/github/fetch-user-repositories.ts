import { z } from "zod";
import { AppError } from "../errors.js";
import type { GitHubRepository } from "./fetch-repository.js";
import { githubRepositorySchema } from "./fetch-repository.js";
import type { GitHubClient } from "./github-client.js";
import { mapGitHubError } from "./map-github-error.js";

const PER_PAGE = 100;
/** A person's view is cut at this many repositories (clear error beyond): bounded memory and GitHub requests. */
export const MAX_USER_REPOSITORIES = 5_000;

/** What a person may do on a repository, from GitHub's `permissions` flags. */
export type RepositoryAccess = "admin" | "write" | "read";

export type UserRepository = GitHubRepository & { access: RepositoryAccess };

const installationsSchema = z.object({
  total_count: z.number().int(),
  installations: z.array(z.object({ id: z.number().int() })),
});
const repositoriesSchema = z.object({
  total_count: z.number().int(),
  repositories: z.array(
    z.intersection(
      githubRepositorySchema,
      z.object({ permissions: z.object({ admin: z.boolean(), push: z.boolean(), pull: z.boolean() }) }),
    ),
  ),
});

/**
 * The repositories of the app's installations a person can read, with their access, through their user access token:
 * `GET /user/installations`, then `GET /user/installations/{id}/repositories` of each (100 a page).
 */
export async function fetchUserRepositories(client: GitHubClient): Promise<UserRepository[]> {
  const installations = await pages("the app's installations you can access", async (page) => {
    const response = await client.request("GET /user/installations", { per_page: PER_PAGE, page });
    const listed = installationsSchema.parse(response.data);
    return { items: listed.installations.map((installation) => installation.id), total: listed.total_count };
  });
  const repositories: UserRepository[] = [];
  for (const installationId of installations) {
    const listed = await pages(
      `the repositories of installation ${installationId} you can access`,
      async (page) => {
        const response = await client.request("GET /user/installations/{installation_id}/repositories", {
          installation_id: installationId,
          per_page: PER_PAGE,
          page,
        });
        const { repositories: items, total_count } = repositoriesSchema.parse(response.data);
        return {
          items: items.map(({ permissions, ...repository }) => ({
            ...repository,
            access: accessOf(permissions),
          })),
          total: total_count,
        };
      },
    );
    repositories.push(...listed);
    if (repositories.length > MAX_USER_REPOSITORIES) {
      throw new AppError(
        "CONFLICT",
        `You can access more than ${MAX_USER_REPOSITORIES} repositories of this app; ask the operator to raise the cap.`,
      );
    }
  }
  return repositories;
}

function accessOf(permissions: { admin: boolean; push: boolean }): RepositoryAccess {
  return permissions.admin ? "admin" : permissions.push ? "write" : "read";
}

async function pages<T>(
  what: string,
  read: (page: number) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page += 1) {
    let listed: { items: T[]; total: number };
    try {
      listed = await read(page);
    } catch (error) {
      throw mapGitHubError(error, { what });
    }
    all.push(...listed.items);
    if (listed.items.length < PER_PAGE || all.length >= listed.total || all.length > MAX_USER_REPOSITORIES)
      return all;
  }
}
