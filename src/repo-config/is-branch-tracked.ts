import type { Repository } from "../generated/prisma/client.js";
import { compileGlobs } from "../glob/compile-globs.js";
import { storedRepoConfig } from "./stored-repo-config.js";

/**
 * Whether the repository's config asks for this branch to be synced: every branch without `branches`, none with an
 * empty list. An invalid config tracks every branch, so a push gets a check run that fails with the config's error.
 * @example isBranchTracked({ config: { branches: ["release/*"] }, configError: null }, "release/1.2") // true
 */
export function isBranchTracked(
  repository: Pick<Repository, "config" | "configError">,
  branch: string,
): boolean {
  if (repository.configError) return true;
  const branches = storedRepoConfig(repository)?.branches;
  if (!branches) return true;
  return branches.length > 0 && compileGlobs(branches)(branch);
}
