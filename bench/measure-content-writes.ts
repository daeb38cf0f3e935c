// `npx tsx bench/measure-content-writes.ts [--files 30000] [--database-url postgres://…]`: how fast RepositoryFile
// content reaches PostgreSQL by each way of writing it, on the generator's file mix (issue 14's first-sync lever).
// Each variant writes the same rows into a fresh repository; only the database time is summed (content generation is
// outside the timing). Prints one JSON line per variant.
import { createHash } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { fileContent } from "../sim/generate/file-content.js";
import { createContentPools } from "../sim/generate/generate-content.js";
import { planFiles } from "../sim/generate/plan-files.js";
import { createRandom } from "../sim/generate/seeded-random.js";
import { applyMigrations } from "../src/db/apply-migrations.js";
import { copyBinaryRows, encodeBinaryCopy } from "../src/db/copy-binary-rows.js";
import { createPrismaClient, UTC_SESSION } from "../src/db/create-prisma-client.js";
import { startEmbeddedPostgres } from "../src/db/start-embedded-postgres.js";
import { PrismaClient } from "../src/generated/prisma/client.js";
import { type RepositoryFileRow, writeRepositoryFiles } from "../src/memory/write-repository-files.js";

const { values } = parseArgs({
  options: { files: { type: "string", default: "30000" }, "database-url": { type: "string" } },
});
const files = Number(values.files);
const BATCH_BYTES = 4 * 1024 * 1024;
const COLUMNS = `("repositoryId", sha, kind, size, "isBinary", content, omitted)`;

type Batch = { rows: RepositoryFileRow[]; buffers: (Buffer | null)[] };

function* batches(seed: number): Generator<Batch> {
  const random = createRandom(seed);
  const pools = createContentPools(seed);
  let batch: Batch = { rows: [], buffers: [] };
  let bytes = 0;
  for (const [index, file] of planFiles(random, files).entries()) {
    const { content } = fileContent({
      pools,
      random,
      kind: file.kind,
      path: file.path,
      tag: `${seed}:${index}`,
    });
    const sha = createHash("sha1").update(content).update(String(index)).digest("hex");
    const binary = file.kind === "binary";
    batch.rows.push({
      sha,
      kind: "blob",
      size: content.length,
      isBinary: binary,
      content: binary ? null : content.toString("utf8"),
      omitted: binary ? "binary" : null,
    });
    batch.buffers.push(binary ? null : content);
    bytes += content.length;
    if (bytes >= BATCH_BYTES || batch.rows.length >= 1000) {
      yield batch;
      batch = { rows: [], buffers: [] };
      bytes = 0;
    }
  }
  if (batch.rows.length > 0) yield batch;
}

const root = await mkdtemp(path.join(os.tmpdir(), "content-writes-"));
await chmod(root, 0o755);
const postgres = values["database-url"]
  ? null
  : await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
const url = values["database-url"] ?? (postgres?.url as string);
try {
  await applyMigrations(url);
  // a client createPrismaClient did not make: writeRepositoryFiles takes Prisma's way with it (today's insert)
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, options: UTC_SESSION }) });
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // the server stopping at the end ends it
  await client.connect();
  const compressions = await client.query(
    "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'",
  );
  const version = await client.query("SHOW server_version");
  const lz4 = ((compressions.rows[0]?.enumvals ?? []) as string[]).includes("lz4");
  // The column's compression is set per variant (the lz4 migration sets it where the server has lz4).
  const setCompression = (method: string) =>
    client.query(`ALTER TABLE "RepositoryFile" ALTER COLUMN content SET COMPRESSION ${method}`);
  const app = createPrismaClient(url); // writeRepositoryFiles COPYs through this client's pool
  const copyWith = (method: string) => async (id: string, batch: Batch) => {
    await setCompression(method);
    await writeRepositoryFiles(app, id, batch.rows);
  };
  const variants: [string, (repositoryId: string, batch: Batch) => Promise<void>][] = [
    [
      "unnest insert through Prisma (before), pglz",
      async (id, batch) => {
        await setCompression("pglz");
        await writeRepositoryFiles(db, id, batch.rows);
      },
    ],
    ["writeRepositoryFiles: binary COPY (now), pglz", copyWith("pglz")],
    [
      "binary COPY into a temporary table + upsert (first try), pglz",
      async (id, batch) => {
        await setCompression("pglz");
        await copyUpsert(client, id, batch);
      },
    ],
  ];
  if (lz4) variants.push(["writeRepositoryFiles: binary COPY (now), lz4", copyWith("lz4")]);
  variants.push([
    "binary COPY, uncompressed (STORAGE EXTERNAL)",
    async (id, batch) => {
      await client.query(`ALTER TABLE "RepositoryFile" ALTER COLUMN content SET STORAGE EXTERNAL`);
      await copyDirect(client, id, batch);
      await client.query(`ALTER TABLE "RepositoryFile" ALTER COLUMN content SET STORAGE EXTENDED`);
    },
  ]);
  for (const [name_, write] of variants) {
    const name = name_.replace(/[^a-z]+/g, "-");
    const repositoryId = (
      await db.repository.create({
        data: { key: `bench/${name}`, owner: "bench", name, defaultBranch: "main" },
      })
    ).id;
    let ms = 0;
    let rows = 0;
    let bytes = 0;
    for (const batch of batches(files)) {
      const started = performance.now();
      await write(repositoryId, batch);
      ms += performance.now() - started;
      rows += batch.rows.length;
      for (const buffer of batch.buffers) bytes += buffer?.length ?? 0;
    }
    const stored = await client.query(
      `SELECT sum(pg_column_size(content))::bigint AS bytes FROM "RepositoryFile" WHERE "repositoryId" = $1`,
      [repositoryId],
    );
    const storedMb = Math.round(Number(stored.rows[0]?.bytes ?? 0) / 2 ** 20);
    const load = os.loadavg().map((value) => value.toFixed(2));
    const server = version.rows[0]?.server_version;
    console.log(
      JSON.stringify({
        variant: name_,
        rows,
        textMb: Math.round(bytes / 2 ** 20),
        storedMb,
        ms: Math.round(ms),
        server,
        lz4,
        load,
      }),
    );
  }
  await client.end();
  await app.$disconnect();
  await db.$disconnect();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await postgres?.stop();
  await rm(root, { recursive: true, force: true });
}

function rowsOf(repositoryId: string, batch: Batch) {
  return batch.rows.map((row, index) => [
    { type: "uuid" as const, value: repositoryId },
    { type: "text" as const, value: row.sha },
    { type: "text" as const, value: row.kind },
    { type: "int4" as const, value: row.size },
    { type: "bool" as const, value: row.isBinary },
    batch.buffers[index] ? { type: "text" as const, value: batch.buffers[index] as Buffer } : null,
    row.omitted ? { type: "text" as const, value: row.omitted } : null,
  ]);
}

async function copyDirect(client: pg.Client, repositoryId: string, batch: Batch): Promise<void> {
  await copyBinaryRows(
    client,
    `COPY "RepositoryFile" ${COLUMNS} FROM STDIN (FORMAT binary)`,
    encodeBinaryCopy(rowsOf(repositoryId, batch)),
  );
}

async function copyUpsert(client: pg.Client, repositoryId: string, batch: Batch): Promise<void> {
  await client.query(
    `BEGIN; CREATE TEMP TABLE incoming (LIKE "RepositoryFile" INCLUDING DEFAULTS) ON COMMIT DROP`,
  );
  await copyBinaryRows(
    client,
    `COPY incoming ${COLUMNS} FROM STDIN (FORMAT binary)`,
    encodeBinaryCopy(rowsOf(repositoryId, batch)),
  );
  await client.query(`INSERT INTO "RepositoryFile" ${COLUMNS}
    SELECT "repositoryId", sha, kind, size, "isBinary", content, omitted FROM incoming
    ON CONFLICT ("repositoryId", sha) DO UPDATE
      SET size = EXCLUDED.size, "isBinary" = EXCLUDED."isBinary", content = EXCLUDED.content, omitted = EXCLUDED.omitted;
    COMMIT`);
}
