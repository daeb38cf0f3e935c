import { copyBinaryRows, encodeBinaryCopy } from "../db/copy-binary-rows.js";
import { type Db, pgPoolOf } from "../db/create-prisma-client.js";

export type RepositoryFileRow = {
  sha: string;
  kind: "blob" | "submodule";
  size: number;
  isBinary: boolean;
  content: string | null;
  omitted: "binary" | "too_large" | "submodule" | null;
};

const CHUNK = 1000;
const COLUMNS = `("repositoryId", sha, kind, size, "isBinary", content, omitted)`;
const UPSERT = `ON CONFLICT ("repositoryId", sha) DO UPDATE
  SET size = EXCLUDED.size, "isBinary" = EXCLUDED."isBinary", content = EXCLUDED.content, omitted = EXCLUDED.omitted`;

/**
 * Stores git objects' content. Objects are addressed by SHA, so writing one twice only refreshes it (a full resync
 * repairs a damaged row, a raised size cap fills in content). On a client from createPrismaClient the rows go through
 * a binary COPY into a temporary table and one upsert from it: Prisma's parameters serialise every text twice
 * (JSON, then an array literal), which cost a 100,000-file first sync more CPU than PostgreSQL's own work.
 */
export async function writeRepositoryFiles(
  db: Pick<Db, "$executeRaw">,
  repositoryId: string,
  files: readonly RepositoryFileRow[],
): Promise<number> {
  const pool = pgPoolOf(db);
  if (pool === undefined) return insertRepositoryFiles(db, repositoryId, files);
  if (files.length === 0) return 0;
  const client = await pool.connect();
  try {
    await client.query(
      `BEGIN; CREATE TEMP TABLE incoming_file (LIKE "RepositoryFile" INCLUDING DEFAULTS) ON COMMIT DROP`,
    );
    await copyBinaryRows(
      client,
      `COPY incoming_file ${COLUMNS} FROM STDIN (FORMAT binary)`,
      encodeRows(repositoryId, files),
    );
    const result = await client.query(
      `INSERT INTO "RepositoryFile" ${COLUMNS} SELECT ${COLUMNS.slice(1, -1)} FROM incoming_file ${UPSERT}`,
    );
    await client.query("COMMIT");
    return result.rowCount ?? 0;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function encodeRows(repositoryId: string, files: readonly RepositoryFileRow[]): Buffer {
  return encodeBinaryCopy(
    files.map((file) => [
      { type: "uuid", value: repositoryId },
      { type: "text", value: file.sha },
      { type: "text", value: file.kind },
      { type: "int4", value: file.size },
      { type: "bool", value: file.isBinary },
      file.content === null ? null : { type: "text", value: file.content },
      file.omitted === null ? null : { type: "text", value: file.omitted },
    ]),
  );
}

/** Prisma's way, one multi-row statement per chunk: for clients whose pool is not reachable. */
async function insertRepositoryFiles(
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
