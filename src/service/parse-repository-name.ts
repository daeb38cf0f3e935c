import { z } from "zod";
import { AppError } from "../errors.js";
import type { RepoRef } from "../github/github-client.js";

// GitHub's rules: owners are alphanumerics and single hyphens; repository names add dots and underscores.
const repositoryNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/)
  .refine((value) => !value.endsWith("/.") && !value.endsWith("/.."));

/** A repository named by the user, with the case-insensitive key memory is stored under. */
export type RepositoryName = RepoRef & { key: string };

/** "owner/name" → its parts and the case-insensitive key memory is stored under. */
export function parseRepositoryName(input: string): RepositoryName {
  const parsed = repositoryNameSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "BAD_INPUT",
      `"${input}" is not a repository name; use owner/name, e.g. octocat/hello-world.`,
    );
  }
  const [owner, name] = parsed.data.split("/") as [string, string];
  return { owner, name, key: `${owner}/${name}`.toLowerCase() };
}
