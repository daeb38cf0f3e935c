import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../../src/db/apply-migrations.js";
import { startEmbeddedPostgres } from "../../src/db/start-embedded-postgres.js";

let stopServer: (() => Promise<void>) | undefined;

let adminUrlInUse: string | undefined;

/** Per run, so two runs against one DATABASE_URL server do not collide. */
export const TEMPLATE_DATABASE = `project_sync_test_template_${process.pid}`;

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set (its user needs CREATEDB), else an embedded server in a
 * temporary folder. The schema is migrated once into a template database; every test file clones it (test-database.ts).
 */
export async function prepareTestPostgres(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(tmpdir(), `project-sync-test-pg-${process.pid}`),
      persistent: false,
    });
    stopServer = server.stop;
    adminUrl = server.url;
  }
  process.env.PROJECT_SYNC_TEST_ADMIN_URL = adminUrl;
  process.env.PROJECT_SYNC_TEST_TEMPLATE = TEMPLATE_DATABASE;
  adminUrlInUse = adminUrl;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  await applyMigrations(withDatabase(adminUrl, TEMPLATE_DATABASE));
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function stopTestPostgres(): Promise<void> {
  if (stopServer) {
    await stopServer();
  } else if (adminUrlInUse) {
    const admin = new pg.Client({ connectionString: adminUrlInUse });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.end();
  }
}
