import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import pg from "pg";
import { PASSWORD_FILE, startEmbeddedPostgres } from "../../src/db/start-embedded-postgres.js";

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

  it("gives a new cluster a random superuser password kept in its data folder (0600), and rotates the old fixed one", async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "project-sync-embedded-"));
    await chmod(parent, 0o755);
    const dataDir = path.join(parent, "pg");
    const legacyUrl = (url: string) => {
      const parsed = new URL(url);
      parsed.password = "postgres";
      return parsed.toString();
    };
    const connects = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    try {
      const fresh = await startEmbeddedPostgres({ dataDir });
      const file = await stat(path.join(dataDir, PASSWORD_FILE));
      const freshPassword = new URL(fresh.url).password;
      expect(freshPassword).toMatch(/^[0-9a-f]{48}$/);
      expect(file.mode & 0o777).toBe(0o600);
      expect([await connects(fresh.url), await connects(legacyUrl(fresh.url))]).toEqual([true, false]);

      // a cluster made before this change: the fixed password, and no password file
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      await client.query("ALTER ROLE postgres PASSWORD 'postgres'");
      await client.end();
      await fresh.stop();
      await rm(path.join(dataDir, PASSWORD_FILE));
      const legacy = await startEmbeddedPostgres({ dataDir });

      expect(new URL(legacy.url).password).toMatch(/^[0-9a-f]{48}$/);
      expect([await connects(legacy.url), await connects(legacyUrl(legacy.url))]).toEqual([true, false]);
      await legacy.stop();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 60_000);
});
