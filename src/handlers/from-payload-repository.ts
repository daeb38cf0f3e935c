import type { z } from "zod";
import type { UpsertRepositoryOptions } from "../service/upsert-repository.js";
import type { payloadRepositorySchema } from "./webhook-schemas.js";

/** A webhook payload's `repository` in the shape upsertRepository takes. */
export function fromPayloadRepository(
  repository: z.infer<typeof payloadRepositorySchema>,
  installationId: number,
): UpsertRepositoryOptions {
  return {
    githubId: repository.id,
    owner: repository.owner.login,
    name: repository.name,
    defaultBranch: repository.default_branch,
    isPrivate: repository.private,
    installationId,
  };
}
