import type { Db } from "../db/create-prisma-client.js";

const CHUNK = 10_000;

export type FindMissingBlobsOptions = {
  repositoryId: string;
  shas: readonly string[];
  /** a blob stored without content for being over an older, smaller cap is missing again when it fits this one */
  maxFileSizeBytes: number;
};

/**
 * The blob SHAs whose content the repository's memory does not hold yet. Content is stored once per repository and
 * SHA, so a rename, a revert, a copy or a branch that shares files with another costs no fetch.
 */
export async function findMissingBlobs(db: Db, options: FindMissingBlobsOptions): Promise<Set<string>> {
  const missing = new Set(options.shas);
  const unique = [...missing];
  for (let start = 0; start < unique.length; start += CHUNK) {
    const chunk = unique.slice(start, start + CHUNK);
    const present = await db.$queryRaw<{ sha: string }[]>`
      SELECT sha FROM "RepositoryFile"
      WHERE "repositoryId" = ${options.repositoryId}::uuid
        AND sha = ANY(${chunk}::text[])
        AND (omitted IS DISTINCT FROM 'too_large' OR size > ${options.maxFileSizeBytes})`;
    for (const row of present) missing.delete(row.sha);
  }
  return missing;
}
