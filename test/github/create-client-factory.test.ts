import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { loadEnv } from "../../src/config/env.js";
import { type ClientFactory, createClientFactory } from "../../src/github/create-client-factory.js";
import { fetchRepository } from "../../src/github/fetch-repository.js";
import { githubFixture, useNockGitHub } from "../helpers/nock-github.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const testOptions = { retry: false, throttle: false, log: silent };
const JWT = /^bearer [\w-]+\.[\w-]+\.[\w-]+$/;
const repo = { owner: "octo-org", name: "hello-world" };

/** The factory's client for a repository, failing the test when there is none. */
async function clientOf(githubFor: ClientFactory, repository: { owner: string; name: string } = repo) {
  const client = await githubFor(repository);
  if (!client) throw new Error(`no client for ${repository.owner}/${repository.name}`);
  return client;
}

describe("createClientFactory", () => {
  const github = useNockGitHub();
  let privateKey: string;
  let keyDir: string;

  beforeAll(async () => {
    privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString();
    keyDir = await mkdtemp(path.join(tmpdir(), "project-sync-key-"));
  });
  afterAll(async () => {
    await rm(keyDir, { recursive: true, force: true });
  });

  /** The three requests of the app flow: installation lookup (JWT), token exchange (JWT), the call itself (token). */
  function expectAppFlow(options: { installationId?: number; token?: string } = {}) {
    const installationId = options.installationId ?? 42;
    const token = options.token ?? "ghs_installation";
    github
      .api()
      .matchHeader("authorization", JWT)
      .get("/repos/octo-org/hello-world/installation")
      .reply(200, { id: installationId, app_id: 123, account: { login: "octo-org" } });
    github
      .api()
      .matchHeader("authorization", JWT)
      .post(`/app/installations/${installationId}/access_tokens`)
      .reply(201, { token, expires_at: "2099-01-01T00:00:00Z", permissions: { contents: "read" } });
    github
      .api()
      .matchHeader("authorization", `token ${token}`)
      .get("/repos/octo-org/hello-world")
      .reply(200, githubFixture("repository.json"));
  }

  it("returns null when neither GITHUB_TOKEN nor APP_ID is set", async () => {
    const githubFor = createClientFactory(loadEnv({}), testOptions);

    await expect(githubFor(repo)).resolves.toBeNull();
  });

  it("uses GITHUB_TOKEN for every repository, on GitHub Enterprise Server when GHE_HOST is set", async () => {
    const env = loadEnv({ GITHUB_TOKEN: "ghp_token", GHE_HOST: "ghe.example.com", APP_ID: "123" });
    const githubFor = createClientFactory(env, testOptions);
    github
      .api("https://ghe.example.com")
      .matchHeader("authorization", "token ghp_token")
      .get("/api/v3/repos/octo-org/hello-world")
      .reply(200, githubFixture("repository.json"));

    const client = await clientOf(githubFor);
    const other = await githubFor({ owner: "someone", name: "else" });
    const found = await fetchRepository({ client, owner: "octo-org", repo: "hello-world" });

    expect(other).toBe(client);
    expect(found.githubId).toBe(1296269);
  });

  it("as a GitHub App: finds the repository's installation, exchanges a token, and caches the installation", async () => {
    // PRIVATE_KEY as .env files hold it: one line with literal "\n" escapes
    const env = loadEnv({ APP_ID: "123", PRIVATE_KEY: privateKey.replace(/\n/g, "\\n") });
    const githubFor = createClientFactory(env, testOptions);
    expectAppFlow();
    github
      .api()
      .matchHeader("authorization", "token ghs_installation")
      .get("/repos/octo-org/hello-world")
      .reply(200, githubFixture("repository.json"));

    const first = await clientOf(githubFor);
    await fetchRepository({ client: first, owner: "octo-org", repo: "hello-world" });
    const second = await clientOf(githubFor, { owner: "Octo-Org", name: "Hello-World" });
    await fetchRepository({ client: second, owner: "octo-org", repo: "hello-world" });

    expect(second).toBe(first);
    expect(github.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /repos/octo-org/hello-world/installation",
      "POST /app/installations/42/access_tokens",
      "GET /repos/octo-org/hello-world",
      "GET /repos/octo-org/hello-world",
    ]);
  });

  it("reads the key from PRIVATE_KEY_PATH", async () => {
    const keyPath = path.join(keyDir, "app.pem");
    await writeFile(keyPath, privateKey);
    const githubFor = createClientFactory(loadEnv({ APP_ID: "123", PRIVATE_KEY_PATH: keyPath }), testOptions);
    expectAppFlow({ installationId: 7, token: "ghs_from_file" });

    const client = await clientOf(githubFor);
    const found = await fetchRepository({ client, owner: "octo-org", repo: "hello-world" });

    expect(found.name).toBe("Hello-World");
  });

  it("reports REPOSITORY_NOT_FOUND when the app is not installed on the repository, and asks again next time", async () => {
    const githubFor = createClientFactory(loadEnv({ APP_ID: "123", PRIVATE_KEY: privateKey }), testOptions);
    github
      .api()
      .get("/repos/octo-org/hello-world/installation")
      .times(2)
      .reply(404, { message: "Not Found" });

    await expect(githubFor(repo)).rejects.toMatchObject({
      code: "REPOSITORY_NOT_FOUND",
      message: expect.stringContaining("GitHub App is not installed on octo-org/hello-world"),
    });
    await expect(githubFor(repo)).rejects.toMatchObject({ code: "REPOSITORY_NOT_FOUND" });
  });

  it("names the missing or unreadable setting of a half-configured app, without leaking the key", async () => {
    const noKey = createClientFactory(loadEnv({ APP_ID: "123" }), testOptions);
    const noAppId = createClientFactory(loadEnv({ PRIVATE_KEY: privateKey }), testOptions);
    const badPath = createClientFactory(
      loadEnv({ APP_ID: "123", PRIVATE_KEY_PATH: path.join(keyDir, "missing.pem") }),
      testOptions,
    );

    await expect(noKey(repo)).rejects.toMatchObject({
      code: "MISSING_CREDENTIALS",
      message: expect.stringContaining("PRIVATE_KEY"),
    });
    const error = await noAppId(repo).catch((thrown: Error) => thrown);
    expect(error).toMatchObject({ code: "MISSING_CREDENTIALS", message: expect.stringContaining("APP_ID") });
    expect((error as Error).message).not.toContain("PRIVATE KEY-----");
    await expect(badPath(repo)).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("missing.pem (ENOENT)"),
    });
  });
});
