import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import pg from "pg";
import { startEmbeddedPostgres } from "../../src/db/start-embedded-postgres.js";

describe("startEmbeddedPostgres", () => {
  it("shares a server already running on the same data directory instead of failing to start a second", async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "project-sync-embedded-"));
    await chmod(parent, 0o755); // as root, PostgreSQL runs as the OS user "postgres", who must reach the folder
    const dataDir = path.join(parent, "pg");
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      const second = await startEmbeddedPostgres({ dataDir });
      await second.stop();

      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      const { rows } = await client.query("SELECT 1 AS one");
      await client.end();
      expect(second.url).toBe(first.url);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await first.stop();
      await rm(parent, { recursive: true, force: true });
    }
  });
});
