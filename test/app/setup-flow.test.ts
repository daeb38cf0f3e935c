import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import express from "express";
import { createSetupMiddleware } from "../../src/app/create-setup-middleware.js";
import { silentLogger } from "../../src/logger.js";
import { useNockGitHub } from "../helpers/nock-github.js";

// Probot's setup flow writes the app's credentials into .env: only this flow's own pages, in a browser on this
// machine, may make it do so — never another site the same browser visits.
describe("the setup flow against cross-site requests", () => {
  const github = useNockGitHub();
  let server: Server;
  let base: string;
  const written: Record<string, string>[] = [];

  beforeAll(async () => {
    const app = express();
    app.use(
      await createSetupMiddleware({
        host: "127.0.0.1",
        port: 3000,
        log: silentLogger,
        updateEnv: (values) => written.push(values),
        SmeeClient: { createChannel: async () => "https://smee.io/test-channel" },
      }),
    );
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    written.length = 0;
  });

  const importBody = JSON.stringify({ appId: 9, pem: "attacker key", webhook_secret: "attacker secret" });
  const sessionCookie = async (path: string) => {
    const page = await fetch(`${base}${path}`);
    const cookie = page.headers.get("set-cookie") ?? "";
    return {
      page,
      cookie: cookie.split(";")[0] ?? "",
      nonce: /project_sync_setup=([0-9a-f]+)/.exec(cookie)?.[1],
    };
  };

  it("refuses an import posted by another site (text/plain, a foreign Origin, Sec-Fetch-Site cross-site)", async () => {
    const { cookie } = await sessionCookie("/probot/import");
    const attempts: Record<string, string>[] = [
      { "content-type": "text/plain", origin: "https://evil.example" },
      { "content-type": "application/json", origin: "https://evil.example", cookie },
      { "content-type": "application/json", "sec-fetch-site": "cross-site", cookie },
      { "content-type": "text/plain", cookie },
    ];

    const statuses = [];
    for (const headers of attempts) {
      statuses.push((await post("/probot/import", headers, importBody)).status);
    }

    expect(statuses).toEqual([403, 403, 403, 403]);
    expect(written).toEqual([]);
  });

  it("refuses an import without the flow's session (a request that never loaded the import page)", async () => {
    const response = await post(
      "/probot/import",
      { "content-type": "application/json", origin: base, "sec-fetch-site": "same-origin" },
      importBody,
    );

    expect(response.status).toBe(403);
    expect(response.body).toContain("no setup session");
    expect(written).toEqual([]);
  });

  it("takes an import from its own page (same origin, JSON, with the session cookie)", async () => {
    const { cookie } = await sessionCookie("/probot/import");

    const response = await post(
      "/probot/import",
      { "content-type": "application/json", origin: base, "sec-fetch-site": "same-origin", cookie },
      JSON.stringify({ appId: 7, pem: "key", webhook_secret: "secret" }),
    );

    expect(response.status).toBe(200);
    expect(written).toEqual([{ APP_ID: 7, PRIVATE_KEY: '"key"', WEBHOOK_SECRET: "secret" }]);
  });

  it("puts a fresh state into the manifest form, and exchanges a code only when GitHub brings that state back", async () => {
    const { page, cookie, nonce } = await sessionCookie("/probot");
    const html = await page.text();
    expect(nonce).toMatch(/^[0-9a-f]{48}$/);
    expect(html).toContain(`action="https://github.com/settings/apps/new?state=${nonce}"`);

    const noState = await fetch(`${base}/probot/setup?code=attacker`, {
      headers: { cookie },
      redirect: "manual",
    });
    const wrongState = await fetch(`${base}/probot/setup?code=attacker&state=${"0".repeat(48)}`, {
      headers: { cookie },
      redirect: "manual",
    });
    const noCookie = await fetch(`${base}/probot/setup?code=attacker&state=${nonce}`, { redirect: "manual" });
    github.api().post("/app-manifests/good-code/conversions").reply(201, {
      id: 42,
      client_id: "Iv1.client",
      client_secret: "client-secret",
      webhook_secret: "webhook-secret",
      pem: "-----BEGIN RSA PRIVATE KEY-----",
      html_url: "https://github.com/apps/project-sync",
    });
    const real = await fetch(`${base}/probot/setup?code=good-code&state=${nonce}`, {
      headers: { cookie },
      redirect: "manual",
    });

    expect([noState.status, wrongState.status, noCookie.status]).toEqual([403, 403, 403]);
    expect(real.status).toBe(302);
    expect(real.headers.get("location")).toBe("https://github.com/apps/project-sync/installations/new");
    expect(written).toEqual([expect.objectContaining({ APP_ID: "42", WEBHOOK_SECRET: "webhook-secret" })]);
  });

  /** A POST over node:http (fetch refuses to send Origin and Sec-Fetch-* headers a browser would). */
  function post(
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${base}${path}`, { method: "POST", headers });
      request.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8");
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on("error", reject);
      request.end(body);
    });
  }
});
