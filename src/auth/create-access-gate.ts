import type { Db } from "../db/create-prisma-client.js";
import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import type { RepositoryAccess } from "../github/fetch-user-repositories.js";
import { findRepository } from "../service/find-repository.js";
import { parseSyncId } from "../service/get-sync.js";
import { requireKnownBranch } from "../service/require-known-branch.js";
import { HIDDEN_REPOSITORY, type UserAccess } from "./create-user-access.js";
import type { Principal } from "./principal.js";

/**
 * What one principal may read and do, asked the same way at every door (REST, SSE, MCP, webhook management). The
 * operator and the laptop pass every check; a person passes what GitHub lets them read (cached briefly) and, for an
 * action, what GitHub says at that moment. A person learns nothing of what they cannot read: an unknown repository or
 * sync and one they may not read get the same 404 with the same words.
 */
export type AccessGate = {
  principal: Principal;
  /** the GitHub ids of the repositories a person can read; undefined (no filter) for the operator and the laptop */
  readableIds(): Promise<number[] | undefined>;
  /** the GitHub ids of the repositories a person can administer (cached list); undefined for the operator */
  adminIds(): Promise<number[] | undefined>;
  /**
   * What a person may do on each repository they can read, by GitHub id (cached list; `read` on all through a
   * read-only token), for the page to offer only the actions GitHub allows; undefined for the operator and the laptop
   */
  readableAccess(): Promise<Map<number, RepositoryAccess> | undefined>;
  /** the repository by "owner/name" once the principal may read it, and the branch's recorded memory if named */
  repository(fullName: string, branch?: string): Promise<Repository>;
  /** throws unless the principal may do `need` on the repository (see UserAccess.require for `action`) */
  require(
    repository: { githubId: bigint | null },
    need: RepositoryAccess,
    options?: { action?: boolean },
  ): Promise<void>;
  /**
   * The sync id (parsed) once the principal may do `need` on its repository, checked before anything about the sync
   * is read: SYNC_NOT_FOUND alike for a sync that does not exist and one whose repository a person cannot read.
   */
  requireSync(syncId: string, need: RepositoryAccess): Promise<string>;
};

/** The gate of one principal; `userAccess` is set when sign-in is (people exist only then). */
export function createAccessGate(
  deps: { db: Db; userAccess?: UserAccess },
  principal: Principal,
): AccessGate {
  const person = principal.kind === "person" ? principal : null;
  const access = (): UserAccess => {
    if (!deps.userAccess)
      throw new AppError("INTERNAL", "A signed-in person reached this server without sign-in set up.");
    return deps.userAccess;
  };
  const listed = async (least: RepositoryAccess) => {
    if (!person) return undefined;
    const repositories = await access().repositories(person.userId);
    return repositories
      .filter((repository) => least !== "admin" || repository.access === "admin")
      .map((repository) => repository.githubId);
  };
  const gate: AccessGate = {
    principal,
    readableIds: () => listed("read"),
    adminIds: () => listed("admin"),
    async readableAccess() {
      if (!person) return undefined;
      const repositories = await access().repositories(person.userId);
      return new Map(
        repositories.map((repository) => [
          repository.githubId,
          person.scope === "read" ? "read" : repository.access,
        ]),
      );
    },
    async repository(fullName, branch) {
      const repository = await findRepository({ db: deps.db }, fullName).catch((error: unknown) => {
        throw person && error instanceof AppError && error.code === "REPOSITORY_NOT_FOUND"
          ? new AppError("REPOSITORY_NOT_FOUND", HIDDEN_REPOSITORY)
          : error;
      });
      await gate.require(repository, "read");
      if (branch !== undefined) await requireKnownBranch({ db: deps.db }, repository, branch);
      return repository;
    },
    async require(repository, need, options) {
      if (!person) return;
      if (repository.githubId === null) throw new AppError("REPOSITORY_NOT_FOUND", HIDDEN_REPOSITORY);
      await access().require(person, Number(repository.githubId), need, options);
    },
    async requireSync(syncId, need) {
      const id = parseSyncId(syncId);
      if (!person) return id;
      const hidden = () => new AppError("SYNC_NOT_FOUND", `No sync with id ${id}.`);
      const sync = await deps.db.projectSync.findUnique({
        where: { id },
        select: { repository: { select: { githubId: true } } },
      });
      if (!sync) throw hidden();
      try {
        await gate.require(sync.repository, "read");
        if (need !== "read") await gate.require(sync.repository, need);
      } catch (error) {
        throw error instanceof AppError && error.code === "REPOSITORY_NOT_FOUND" ? hidden() : error;
      }
      return id;
    },
  };
  return gate;
}
