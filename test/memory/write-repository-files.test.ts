import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PrismaPg } from "@prisma/adapter-pg";
import { pgPoolOf, UTC_SESSION } from "../../src/db/create-prisma-client.js";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import { type RepositoryFileRow, writeRepositoryFiles } from "../../src/memory/write-repository-files.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

// Text a COPY could get wrong: escapes, tabs, newlines, a BOM, astral characters, an empty file, a long line.
const ROWS: RepositoryFileRow[] = [
  { sha: "a".repeat(40), kind: "blob", size: 9, isBinary: false, content: "a\\b\tc\r\nd", omitted: null },
  { sha: "b".repeat(40), kind: "blob", size: 11, isBinary: false, content: "\uFEFFé😀\\N\n", omitted: null },
  { sha: "c".repeat(40), kind: "blob", size: 0, isBinary: false, content: "", omitted: null },
  { sha: "d".repeat(40), kind: "blob", size: 900, isBinary: true, content: null, omitted: "binary" },
  {
    sha: "e".repeat(40),
    kind: "blob",
    size: 2_000_000,
    isBinary: false,
    content: null,
    omitted: "too_large",
  },
  { sha: "f".repeat(40), kind: "submodule", size: 0, isBinary: false, content: null, omitted: "submodule" },
  {
    sha: "1".repeat(40),
    kind: "blob",
    size: 300_000,
    isBinary: false,
    content: "x".repeat(300_000),
    omitted: null,
  },
];

describe("writeRepositoryFiles", () => {
  let database: TestDatabase;
  let plain: PrismaClient;
  beforeAll(async () => {
    database = await createTestDatabase();
    // a client createPrismaClient did not make: its rows take Prisma's insert, the reference for the COPY
    plain = new PrismaClient({
      adapter: new PrismaPg({ connectionString: database.url, options: UTC_SESSION }),
    });
  }, 60_000);
  afterAll(async () => {
    await plain.$disconnect();
    await database.drop();
  });

  async function newRepository(name: string): Promise<string> {
    const data = { key: `test/${name}`, owner: "test", name, defaultBranch: "main" };
    return (await database.db.repository.create({ data })).id;
  }

  async function stored(repositoryId: string) {
    const rows = await database.db.repositoryFile.findMany({
      where: { repositoryId },
      orderBy: { sha: "asc" },
    });
    return rows.map(({ sha, kind, size, isBinary, content, omitted }) => ({
      sha,
      kind,
      size,
      isBinary,
      content,
      omitted,
    }));
  }

  it("stores through COPY exactly what Prisma's insert stores", async () => {
    expect(pgPoolOf(database.db)).toBeDefined();
    expect(pgPoolOf(plain)).toBeUndefined();
    const copied = await newRepository("copied");
    const inserted = await newRepository("inserted");

    expect(await writeRepositoryFiles(database.db, copied, ROWS)).toBe(ROWS.length);
    expect(await writeRepositoryFiles(plain, inserted, ROWS)).toBe(ROWS.length);

    const expected = [...ROWS].sort((a, b) => a.sha.localeCompare(b.sha));
    expect(await stored(copied)).toEqual(expected);
    expect(await stored(inserted)).toEqual(expected);
  });

  it("writing a SHA again refreshes its row (a raised cap fills in content) and adds no other", async () => {
    const id = await newRepository("refresh");
    await writeRepositoryFiles(database.db, id, ROWS);
    const filled = { ...(ROWS[4] as RepositoryFileRow), content: "now it fits\n", omitted: null };

    expect(await writeRepositoryFiles(database.db, id, [filled])).toBe(1);

    const rows = await stored(id);
    expect(rows).toHaveLength(ROWS.length);
    expect(rows.find((row) => row.sha === filled.sha)).toEqual(filled);
  });

  it("a batch the database rejects writes none of its rows, and the pool stays usable", async () => {
    const id = await newRepository("rejected");
    const bad = { ...(ROWS[0] as RepositoryFileRow), sha: "2".repeat(40), kind: "tree" as "blob" };

    await expect(writeRepositoryFiles(database.db, id, [ROWS[1] as RepositoryFileRow, bad])).rejects.toThrow(
      /FileKind|enum/,
    );

    expect(await stored(id)).toEqual([]);
    expect(await writeRepositoryFiles(database.db, id, [ROWS[1] as RepositoryFileRow])).toBe(1);
  });
});
