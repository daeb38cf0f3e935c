import type pg from "pg";
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
 * repairs a damaged row, a raised size cap fills in content). On a client from createPrismaClient the rows go in one
 * binary COPY (an upsert through a temporary table when some are stored already): Prisma's parameters serialise
 * every text twice (JSON, then an array literal), which cost a 100,000-file first sync more CPU than PostgreSQL's
 * own work (bench/measure-content-writes.ts, BENCHMARKS.md).
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
    const rows = encodeRows(repositoryId, files);
    // synchronous_commit off for this transaction only: content is a cache by SHA, and the finalize transaction that
    // makes it memory commits synchronously, which flushes the log up to and past these rows.
    await client.query("BEGIN; SET LOCAL synchronous_commit = off; SAVEPOINT direct");
    let written: number;
    try {
      written = await copyBinaryRows(
        client,
        `COPY "RepositoryFile" ${COLUMNS} FROM STDIN (FORMAT binary)`,
        rows,
      );
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await client.query("ROLLBACK TO SAVEPOINT direct");
      written = await upsertThroughTemporaryTable(client, rows);
    }
    await client.query("COMMIT");
    return written;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const UNIQUE_VIOLATION = "23505";

/**
 * Some SHAs are stored already (a raised size cap, a repair, another branch's sync meanwhile): the rows go into a
 * temporary table with the content column's compression, then into RepositoryFile in one upsert, which keeps the
 * compressed values as they are.
 */
async function upsertThroughTemporaryTable(client: pg.PoolClient, rows: Buffer): Promise<number> {
  await client.query(
    `CREATE TEMP TABLE incoming_file (LIKE "RepositoryFile" INCLUDING DEFAULTS INCLUDING COMPRESSION) ON COMMIT DROP`,
  );
  await copyBinaryRows(client, `COPY incoming_file ${COLUMNS} FROM STDIN (FORMAT binary)`, rows);
  const result = await client.query(
    `INSERT INTO "RepositoryFile" ${COLUMNS} SELECT ${COLUMNS.slice(1, -1)} FROM incoming_file ${UPSERT}`,
  );
  return result.rowCount ?? 0;
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
