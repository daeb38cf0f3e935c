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
    expect(rows.map((row) => row.migration_name)).toEqual([
      "20261125000000_init",
      "20261125100000_drop_redundant_entry_index",
      "20261125110000_sync_subtrees",
      "20261125120000_github_app",
      "20261125130000_sync_notify",
      "20261205000000_webhook_inbox",
      "20261205100000_push_order",
    ]);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
  });
});
