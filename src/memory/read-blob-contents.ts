import type { Db } from "../db/create-prisma-client.js";

/**
 * The stored text of some blobs of a repository, by SHA; blobs stored without content (binary, too large,
 * submodule) or unknown are absent from the map. Read them in bounded batches: the caller knows their sizes.
 */
export async function readBlobContents(
  db: Db,
  repositoryId: string,
  shas: readonly string[],
): Promise<Map<string, string>> {
  if (shas.length === 0) return new Map();
  const rows = await db.$queryRaw<{ sha: string; content: string }[]>`
    SELECT sha, content FROM "RepositoryFile"
    WHERE "repositoryId" = ${repositoryId}::uuid AND sha = ANY(${[...shas]}::text[]) AND content IS NOT NULL`;
  return new Map(rows.map((row) => [row.sha, row.content]));
}
