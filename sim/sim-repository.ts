import { type CatFileBatch, createCatFileBatch } from "./git/cat-file-batch.js";
import type { GitCommitInfo } from "./git/parse-commit.js";
import { runGit } from "./git/run-git.js";

export type AddRepositoryOptions = {
  owner: string;
  name: string;
  /** a bare repository (or any git dir) the simulator reads with `git` */
  gitDir: string;
  /** default: the repository's HEAD branch, else "main" */
  defaultBranch?: string;
  /** GitHub's numeric id; default: the next free id */
  id?: number;
  private?: boolean;
  /** the GitHub App installation that covers the repository; default 1 */
  installationId?: number;
};

/**
 * A collaborator's role as set up on GitHub: the five repository roles, or none. `GET /collaborators/{user}/permission`
 * answers it as `role_name`, and maps maintain to `permission: "write"` and triage to `permission: "read"`.
 */
export type SimPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/** Roles from least to most access: each includes the ones before it. */
export const SIM_ROLES: readonly SimPermission[] = ["none", "read", "triage", "write", "maintain", "admin"];

/** The permission flags GitHub shows for a role (`permissions` of a repository or collaborator). */
export function rolePermissions(role: SimPermission) {
  const rank = SIM_ROLES.indexOf(role);
  const has = (least: SimPermission) => rank >= SIM_ROLES.indexOf(least);
  return {
    admin: has("admin"),
    maintain: has("maintain"),
    push: has("write"),
    triage: has("triage"),
    pull: has("read"),
  };
}

export type SimPull = { headRef: string; headSha: string; baseRef?: string; state?: "open" | "closed" };

/** A check run as the simulator stores and returns it (GitHub's field names). */
export type SimCheckRun = Record<string, unknown> & { id: number; head_sha: string; name: string };

/** One repository served by the simulator: identity, in-memory branch heads, git access, Issue-4 state. */
export type SimRepository = {
  id: number;
  owner: string;
  name: string;
  gitDir: string;
  defaultBranch: string;
  private: boolean;
  installationId: number;
  /** branch name → head commit SHA; the simulator's truth, initialised from the repository's refs */
  branches: Map<string, string>;
  /** no commit yet (a bare repository without refs): the git and commit APIs answer GitHub's 409 until a branch is set */
  empty: boolean;
  /** old branch name → the name it was renamed to (renameBranch), so the old name's branch URL answers 301 */
  renamedBranches: Map<string, string>;
  git: CatFileBatch;
  /** parsed commits by SHA (immutable, so never invalidated) */
  commits: Map<string, GitCommitInfo>;
  checkRuns: SimCheckRun[];
  pulls: Map<number, SimPull>;
  permissions: Map<string, SimPermission>;
  /** reactions created, by `<comment id>:<user login>:<content>`: GitHub answers a repeated one with 200 and the first */
  reactions: Map<string, Record<string, unknown>>;
};

/** Opens a git repository for serving (an empty one included): reads its branch heads and HEAD branch once. */
export async function openRepository(options: AddRepositoryOptions & { id: number }): Promise<SimRepository> {
  const { gitDir } = options;
  const branches = await readBranches(gitDir);
  const head = await runGit(gitDir, ["symbolic-ref", "--quiet", "--short", "HEAD"], { okExitCodes: [0, 1] });
  const headBranch = head.stdout.toString("utf8").trim();
  const anyRef = await runGit(gitDir, ["for-each-ref", "--count=1", "--format=%(refname)"]);
  const defaultBranch =
    options.defaultBranch ?? (headBranch && branches.has(headBranch) ? headBranch : undefined) ?? "main";
  return {
    id: options.id,
    owner: options.owner,
    name: options.name,
    gitDir,
    defaultBranch,
    private: options.private ?? false,
    installationId: options.installationId ?? 1,
    branches,
    empty: anyRef.stdout.length === 0,
    renamedBranches: new Map(),
    git: createCatFileBatch(gitDir),
    commits: new Map(),
    checkRuns: [],
    pulls: new Map(),
    permissions: new Map(),
    reactions: new Map(),
  };
}

/** The repository's branch heads from its refs: branch name → commit SHA. */
export async function readBranches(gitDir: string): Promise<Map<string, string>> {
  const refs = await runGit(gitDir, [
    "for-each-ref",
    "--format=%(refname:lstrip=2)%00%(objectname)",
    "refs/heads",
  ]);
  const branches = new Map<string, string>();
  for (const line of refs.stdout.toString("utf8").split("\n")) {
    const [name, sha] = line.split("\0");
    if (name && sha) branches.set(name, sha);
  }
  return branches;
}

/** The lookup key of a repository: GitHub matches owner and name case-insensitively. */
export function repositoryKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}
