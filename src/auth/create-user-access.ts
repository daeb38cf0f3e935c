import { AppError } from "../errors.js";
import { createOctokit } from "../github/create-octokit.js";
import {
  fetchUserRepositories,
  type RepositoryAccess,
  type UserRepository,
} from "../github/fetch-user-repositories.js";
import type { AuthDeps } from "./auth-deps.js";
import { userAccessToken } from "./github-user-token.js";
import type { Principal } from "./principal.js";
import type { SignInConfig } from "./sign-in-config.js";

/** What a person is told of a repository that is unknown or that they cannot read: the same words, so that they cannot tell which. */
export const HIDDEN_REPOSITORY = "No such repository among those you can read.";

/** How long a person's list of repositories is reused before GitHub is asked again. */
export const USER_ACCESS_TTL_MS = 60_000;
const MAX_CACHED_PEOPLE = 1_000;

/** What a person may see and do, as GitHub says: read for lists and pages, fresh at the moment of an action. */
export type UserAccess = {
  /** the repositories a person can read (cached for USER_ACCESS_TTL_MS unless `fresh`) */
  repositories(userId: string, options?: { fresh?: boolean }): Promise<UserRepository[]>;
  /**
   * Throws unless the principal may do `need` on the repository with this GitHub id: FORBIDDEN for a read-only token
   * or too little access, REPOSITORY_NOT_FOUND (HIDDEN_REPOSITORY) when they cannot read it at all. An `action`
   * (default: any need but read) asks GitHub afresh and is refused to read-only tokens; otherwise the cached list.
   */
  require(
    principal: Principal,
    repositoryGithubId: number,
    need: RepositoryAccess,
    options?: { action?: boolean },
  ): Promise<void>;
  forget(userId: string): void;
};

const RANK: Record<RepositoryAccess, number> = { read: 0, write: 1, admin: 2 };

export function createUserAccess(deps: AuthDeps, config: SignInConfig): UserAccess {
  const cache = new Map<string, { at: number; repositories: UserRepository[] }>();
  const access: UserAccess = {
    async repositories(userId, options = {}) {
      const now = deps.now().getTime();
      const cached = cache.get(userId);
      if (!options.fresh && cached && now - cached.at < USER_ACCESS_TTL_MS) return cached.repositories;
      const token = await userAccessToken(deps, config, userId);
      const repositories = await fetchUserRepositories(
        createOctokit({ auth: token, baseUrl: config.apiBaseUrl }),
      );
      cache.delete(userId);
      if (cache.size >= MAX_CACHED_PEOPLE) cache.delete(cache.keys().next().value as string);
      cache.set(userId, { at: now, repositories });
      return repositories;
    },
    async require(principal, repositoryGithubId, need, options = {}) {
      if (principal.kind !== "person") return;
      const action = options.action ?? need !== "read";
      if (action && principal.scope === "read") {
        throw new AppError("FORBIDDEN", "This personal token is read-only; use a write token for actions.");
      }
      const repositories = await access.repositories(principal.userId, { fresh: action });
      const found = repositories.find((repository) => repository.githubId === repositoryGithubId);
      if (!found) throw new AppError("REPOSITORY_NOT_FOUND", HIDDEN_REPOSITORY);
      if (RANK[found.access] < RANK[need]) {
        throw new AppError(
          "FORBIDDEN",
          `This needs ${need} access on ${found.owner}/${found.name}; you have ${found.access}.`,
        );
      }
    },
    forget(userId) {
      cache.delete(userId);
    },
  };
  return access;
}
