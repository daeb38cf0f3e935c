import type { Db } from "../db/create-prisma-client.js";

export type RepositoryFileRow = {
  sha: string;
  kind: "blob" | "submodule";
  size: number;
  isBinary: boolean;
  content: string | null;
  omitted: "binary" | "too_large" | "submodule" | null;
};

const CHUNK = 1000;

/**
 * Stores git objects' content, one multi-row statement per chunk. Objects are addressed by SHA, so writing one twice
 * only refreshes it (a full resync repairs a damaged row, a raised size cap fills in content).
 */
export async function writeRepositoryFiles(
  db: Pick<Db, "$executeRaw">,
  repositoryId: string,
  files: readonly RepositoryFileRow[],
): Promise<number> {
  let written = 0;
  for (let start = 0; start < files.length; start += CHUNK) {
    const chunk = files.slice(start, start + CHUNK);
    written += await db.$executeRaw`
      INSERT INTO "RepositoryFile" ("repositoryId", sha, kind, size, "isBinary", content, omitted)
      SELECT ${repositoryId}::uuid, t.sha, t.kind::"FileKind", t.size, t.is_binary, t.content, t.omitted::"OmitReason"
      FROM unnest(
        ${chunk.map((file) => file.sha)}::text[],
        ${chunk.map((file) => file.kind)}::text[],
        ${chunk.map((file) => file.size)}::int[],
        ${chunk.map((file) => file.isBinary)}::bool[],
        ${chunk.map((file) => file.content)}::text[],
        ${chunk.map((file) => file.omitted)}::text[]
      ) AS t(sha, kind, size, is_binary, content, omitted)
      ON CONFLICT ("repositoryId", sha) DO UPDATE
        SET size = EXCLUDED.size, "isBinary" = EXCLUDED."isBinary", content = EXCLUDED.content, omitted = EXCLUDED.omitted`;
  }
  return written;
}
