import { z } from "zod";
import { isValidBranchName } from "../github/is-valid-branch-name.js";

// The tools' input fields: bounded, described for an agent, shared so every tool names things the same way.

export const repositoryField = z
  .string()
  .min(3)
  .max(140)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, "is not owner/name")
  .describe('the repository as "owner/name", e.g. "octocat/hello-world" (list_repositories names them)');

export const branchField = z
  .string()
  .min(1)
  .max(255)
  .refine(isValidBranchName, "is not a valid branch name")
  .describe("the branch; the repository's default branch when absent");

export const syncIdField = z.uuid("is not a sync id (a UUID)");

export const pathPrefixField = z
  .string()
  .min(1)
  .max(1000)
  .describe('only paths starting with this prefix, e.g. "src/"');

export const cursorField = z
  .string()
  .min(1)
  .max(4096)
  .describe("the previous answer's nextCursor, to get the next page");

export const limitField = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).describe(`page size, 1 to ${max} (default ${fallback})`);
