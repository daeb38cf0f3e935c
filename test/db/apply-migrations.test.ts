import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { applyMigrations } from "../../src/db/apply-migrations.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("applyMigrations", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("records every migration in Prisma's table and applies nothing twice, even when started concurrently", async () => {
    const results = await Promise.all([applyMigrations(database.url), applyMigrations(database.url)]);

    expect(results).toEqual([{ applied: [] }, { applied: [] }]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    await client.end();
    const folders = (
      await readdir(path.join(import.meta.dirname, "../../prisma/migrations"), { withFileTypes: true })
    )
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toContain("20261125000000_init");
    expect(rows.map((row) => row.migration_name)).toEqual(folders);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
  });
});
