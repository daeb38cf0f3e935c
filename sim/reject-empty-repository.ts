import { HttpError } from "./reply.js";
import type { SimRepository } from "./sim-repository.js";

/**
 * GitHub's answer to the git database and commit APIs of a repository with no commit yet: 409 "Git Repository is
 * empty." with the endpoint's own documentation link (GitHub names the endpoint, not a generic page).
 * @example rejectEmptyRepository(repository, "https://docs.github.com/rest/git/trees#get-a-tree");
 */
export function rejectEmptyRepository(repository: SimRepository, documentationUrl: string): void {
  if (!repository.empty) return;
  throw new HttpError(409, "Git Repository is empty.", { extra: { documentation_url: documentationUrl } });
}
