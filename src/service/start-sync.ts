import { z } from "zod";
import { AppError } from "../errors.js";
import { formatZodIssues } from "../format-zod-issues.js";
import type { ProjectSync, Repository } from "../generated/prisma/client.js";
import type { SyncTrigger } from "../generated/prisma/enums.js";
import { gitShaSchema } from "../github/git-sha-schema.js";
import { isUniqueViolation } from "../sync/claim-sync.js";
import { findBranchHead } from "./find-branch-head.js";
import type { ServiceDeps } from "./service-deps.js";

export type StartSyncOptions = {
  repository: Repository;
  /** the repository's default branch when absent */
  branch?: string;
  /** re-read every file from GitHub instead of trusting stored content */
  full?: boolean;
  trigger: Exclude<SyncTrigger, "restore">;
  /** the commit to sync (a push's `after`); the branch head is looked up when absent */
  headSha?: string;
  /** a webhook delivery starts at most one sync: a redelivery returns the sync it started */
  deliveryId?: string;
  requestedBy?: string;
};

const startSchema = z.object({
  branch: z
    .string()
    .min(1)
    .max(255)
    .refine((name) => isValidBranchName(name), "is not a valid branch name")
    .optional(),
  headSha: gitShaSchema.optional(),
});

/**
 * Records a sync of a branch that the caller runs itself right away (`inline`: no queue worker takes it). When no
 * head is given the branch head is resolved now, so an unknown branch is refused before anything is written.
 */
export async function startSync(deps: ServiceDeps, options: StartSyncOptions): Promise<ProjectSync> {
  const input = startSchema.safeParse({ branch: options.branch, headSha: options.headSha });
  if (!input.success) throw new AppError("BAD_INPUT", `${formatZodIssues(input.error.issues)}.`);
  const { repository } = options;
  const branch = options.branch ?? repository.defaultBranch;
  if (options.deliveryId) {
    const existing = await deps.db.projectSync.findUnique({ where: { deliveryId: options.deliveryId } });
    if (existing) return existing;
  }
  const headSha = options.headSha ?? (await findBranchHead(deps, repository, branch));
  try {
    return await deps.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch,
        trigger: options.trigger,
        full: options.full ?? false,
        headSha,
        // run right away by the process that queued it (CLI): the queue's workers never take it
        inline: true,
        deliveryId: options.deliveryId ?? null,
        requestedBy: options.requestedBy ?? null,
        createdAt: deps.now(),
      },
    });
  } catch (error) {
    if (options.deliveryId && isUniqueViolation(error)) {
      const existing = await deps.db.projectSync.findUnique({ where: { deliveryId: options.deliveryId } });
      if (existing) return existing;
    }
    throw error;
  }
}

/** git check-ref-format's rules for a branch name, as far as they matter for a URL and a database key. */
export function isValidBranchName(name: string): boolean {
  if (name.startsWith("/") || name.endsWith("/") || name.endsWith(".") || name.endsWith(".lock"))
    return false;
  if (
    name.startsWith("-") ||
    name === "@" ||
    name.includes("..") ||
    name.includes("//") ||
    name.includes("@{")
  ) {
    return false;
  }
  if (name.split("/").some((part) => part.startsWith("."))) return false;
  // control characters, space, ~ ^ : ? * [ \ and DEL are never allowed in a ref
  for (const char of name) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || "~^:?*[\\".includes(char)) return false;
  }
  return true;
}
