import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
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
});
