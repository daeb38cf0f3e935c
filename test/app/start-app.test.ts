import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { startApp } from "../../src/app/start-app.js";
import { loadEnv } from "../../src/config/env.js";
import { silentLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("startApp", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const environment = (variables: Record<string, string>) =>
    loadEnv({ DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "fatal", ...variables });

  it("without credentials opens Probot's setup flow next to /healthz, and stops cleanly", async () => {
    const written: Record<string, string>[] = [];
    const app = await startApp({
      env: environment({ NODE_ENV: "development" }),
      log: silentLogger,
      setup: {
        updateEnv: (values) => written.push(values),
        // the flow asks smee.io for a webhook channel; no network in tests
        SmeeClient: { createChannel: async () => "https://smee.io/test-channel" },
      },
    });

    try {
      const root = await fetch(`${app.url}/`, { redirect: "manual" });
      const setup = await fetch(`${app.url}/probot`);
      const page = await setup.text();
      const health = await fetch(`${app.url}/healthz`);
      const missingCode = await fetch(`${app.url}/probot/setup`);

      expect(app.mode).toBe("setup");
      expect([root.status, root.headers.get("location")]).toEqual([302, "/probot"]);
      expect(setup.status).toBe(200);
      expect(page).toContain("https://github.com/settings/apps/new");
      // the manifest posted to GitHub is app.yml's, sending the browser back to this server's setup route
      expect(page).toContain("Project Sync");
      expect(page).toContain(`${app.url}/probot/setup`);
      expect(health.status).toBe(200);
      expect(missingCode.status).toBe(400);
      // a page elsewhere reaching this server by a rebound name may not write credentials into .env
      const rebound = await postWithHost(`${app.url}/probot/import`, "evil.example:3000", {
        appId: 9,
        pem: "attacker key",
        webhook_secret: "attacker secret",
      });
      expect(rebound).toBe(403);
      expect(written).toEqual([{ WEBHOOK_PROXY_URL: "https://smee.io/test-channel" }]);
    } finally {
      await app.stop();
    }
  });

  it("in production with only GITHUB_TOKEN runs the worker without webhooks or setup routes", async () => {
    const app = await startApp({
      env: environment({ NODE_ENV: "production", GITHUB_TOKEN: "ghp_not_a_real_token" }),
      log: silentLogger,
    });

    try {
      const setup = await fetch(`${app.url}/probot`);
      const webhook = await fetch(`${app.url}/api/github/webhooks`, { method: "POST", body: "{}" });
      const health = await fetch(`${app.url}/healthz`);

      expect(app.mode).toBe("worker-only");
      expect([setup.status, webhook.status, health.status]).toEqual([404, 404, 200]);
    } finally {
      await app.stop();
    }
  });

  it("ends an event stream that opens while it stops, rather than waiting the whole grace period for it", async () => {
    const app = await startApp({
      env: environment({
        NODE_ENV: "production",
        GITHUB_TOKEN: "ghp_not_a_real_token",
        SYNC_CONCURRENCY: "0",
      }),
      log: silentLogger,
    });
    const repository = await database.db.repository.create({
      data: { key: "octo/stopping", owner: "octo", name: "stopping", defaultBranch: "main" },
    });
    const sync = await database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "main", trigger: "manual", status: "queued" },
    });
    // Holds the stream's first read of its sync until the server has stopped accepting connections.
    const lock = new pg.Client({ connectionString: database.url });
    await lock.connect();
    await lock.query('BEGIN; LOCK TABLE "ProjectSync" IN ACCESS EXCLUSIVE MODE');
    let stopped: Promise<void>;
    let stream: Promise<Response>;
    try {
      stream = fetch(`${app.url}/api/v1/events/project-sync/${sync.id}`);
      await until(async () => {
        const waiting = await lock.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = '"ProjectSync"'::regclass`,
        );
        return waiting.rows[0].n > 0;
      });
      stopped = app.stop();
      await until(() =>
        fetch(`${app.url}/healthz`).then(
          () => false,
          () => true,
        ),
      );
    } finally {
      await lock.query("COMMIT");
      await lock.end();
    }

    const response = await stream;
    const body = await response.text();
    await stopped;

    // before, the stream went live and held the server's close (and the worker's stop after it) for 10 s, then was cut
    expect([response.status, body]).toEqual([200, "retry: 2000\n\n"]);
  });
});

/** Polls `condition` until it holds. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A POST with a Host header of our choosing (fetch would send the URL's). Resolves to the status. */
function postWithHost(url: string, host: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: "POST",
      headers: { host, "content-type": "application/json" },
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}
