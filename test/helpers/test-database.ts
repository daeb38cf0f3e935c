import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPrismaClient, type Db } from "../../src/db/create-prisma-client.js";
import { withDatabase } from "../setup/prepare-test-postgres.js";

export type TestDatabase = { db: Db; url: string; drop: () => Promise<void> };

/** A fresh, migrated database of its own for one test file (a clone of the template made in global setup). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.PROJECT_SYNC_TEST_ADMIN_URL;
  const template = process.env.PROJECT_SYNC_TEST_TEMPLATE;
  if (!adminUrl || !template)
    throw new Error("PROJECT_SYNC_TEST_ADMIN_URL is unset: run the tests through jest (global setup).");
  const name = `project_sync_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(adminUrl, name);
  const db = createPrismaClient(url, { poolSize: 5 });
  return {
    db,
    url,
    drop: async () => {
      await db.$disconnect();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
