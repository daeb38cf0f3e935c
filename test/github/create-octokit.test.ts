import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { AppError } from "../../src/errors.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { fetchRepository } from "../../src/github/fetch-repository.js";
import { githubApiBaseUrl } from "../../src/github/github-api-base-url.js";
import { githubFixture, useNockGitHub } from "../helpers/nock-github.js";

describe("githubApiBaseUrl", () => {
  it.each([
    [{}, "https://api.github.com"],
    [{ GHE_HOST: "" }, "https://api.github.com"],
    [{ GHE_HOST: "ghe.example.com" }, "https://ghe.example.com/api/v3"],
    [{ GHE_HOST: "ghe.example.com", GHE_PROTOCOL: "HTTP" }, "http://ghe.example.com/api/v3"],
    [{ GHE_HOST: "localhost:3000", GHE_PROTOCOL: "http" }, "http://localhost:3000/api/v3"],
    [{ GHE_HOST: "[::1]:8443" }, "https://[::1]:8443/api/v3"],
  ])("maps %j to %s", (env, expected) => {
    expect(githubApiBaseUrl(env)).toBe(expected);
  });

  it.each([
    { GHE_HOST: "https://ghe.example.com" },
    { GHE_HOST: "ghe.example.com/api/v3" },
    { GHE_HOST: "user@ghe.example.com" },
    { GHE_HOST: "ghe.example.com", GHE_PROTOCOL: "ftp" },
  ])("rejects %j with BAD_INPUT", (env) => {
    expect(() => githubApiBaseUrl(env)).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });
});

describe("createOctokit", () => {
  const github = useNockGitHub();
  const silent = { debug() {}, info() {}, warn() {}, error() {} };

  it("sends REST to /api/v3 and GraphQL to /api/graphql on GitHub Enterprise Server", async () => {
    const baseUrl = githubApiBaseUrl({ GHE_HOST: "ghe.example.com" });
    const octokit = createOctokit({ auth: "ghs_test", baseUrl, retry: false, throttle: false, log: silent });
    github
      .api("https://ghe.example.com")
      .matchHeader("authorization", "token ghs_test")
      .get("/api/v3/repos/octo-org/hello-world")
      .reply(200, githubFixture("repository.json"))
      .post("/api/graphql")
      .reply(200, { data: { viewer: { login: "octocat" } } });

    const repository = await fetchRepository({ client: octokit, owner: "octo-org", repo: "hello-world" });
    const viewer = await octokit.graphql("query { viewer { login } }");

    expect(repository.name).toBe("Hello-World");
    expect(viewer).toEqual({ viewer: { login: "octocat" } });
    expect(github.requests()).toEqual([
      { method: "GET", path: "/api/v3/repos/octo-org/hello-world", body: undefined },
      { method: "POST", path: "/api/graphql", body: { query: "query { viewer { login } }" } },
    ]);
  });

  it("reaches a plain-http GHE-compatible host with a port", async () => {
    const baseUrl = githubApiBaseUrl({ GHE_HOST: "ghe.internal:8080", GHE_PROTOCOL: "http" });
    const octokit = createOctokit({ auth: "ghs_test", baseUrl, retry: false, throttle: false, log: silent });
    github
      .api("http://ghe.internal:8080")
      .post("/api/graphql")
      .reply(200, { data: { ok: true } });

    await expect(octokit.graphql("query { ok }")).resolves.toEqual({ ok: true });
  });

  it("authenticates as a GitHub App installation: exchanges the app JWT for an installation token", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const octokit = createOctokit({
      auth: {
        appId: 123,
        privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        installationId: 42,
      },
      retry: false,
      throttle: false,
      log: silent,
    });
    github
      .api()
      .matchHeader("authorization", /^bearer [\w-]+\.[\w-]+\.[\w-]+$/)
      .post("/app/installations/42/access_tokens")
      .reply(201, {
        token: "ghs_installation",
        expires_at: "2099-01-01T00:00:00Z",
        permissions: { contents: "read" },
      });
    github
      .api()
      .matchHeader("authorization", "token ghs_installation")
      .get("/repos/octo-org/hello-world")
      .reply(200, githubFixture("repository.json"));

    const repository = await fetchRepository({ client: octokit, owner: "octo-org", repo: "hello-world" });

    expect(repository.githubId).toBe(1296269);
  });

  it("retries a rate-limited request once the limit resets, and warns without logging the token", async () => {
    const warnings: string[] = [];
    const log = { ...silent, warn: (message: string) => warnings.push(message) };
    const octokit = createOctokit({ auth: "ghs_secret_value", retry: false, log });
    github
      .api()
      .get("/repos/octo-org/hello-world")
      .reply(
        403,
        { message: "API rate limit exceeded for installation ID 42." },
        {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)),
        },
      )
      .get("/repos/octo-org/hello-world")
      .reply(200, githubFixture("repository.json"));

    const repository = await fetchRepository({ client: octokit, owner: "octo-org", repo: "hello-world" });

    expect(repository.name).toBe("Hello-World");
    expect(warnings).toEqual([
      expect.stringMatching(
        /^GitHub rate limit hit by GET \/repos\/\{owner\}\/\{repo\}; retrying in [01] s \(retry 1 of 2\)$/,
      ),
    ]);
    expect(warnings.join("\n")).not.toContain("ghs_secret_value");
  });

  it("gives up at once when GitHub asks to wait more than 60 s", async () => {
    const warnings: string[] = [];
    const log = { ...silent, warn: (message: string) => warnings.push(message) };
    const octokit = createOctokit({ auth: "ghs_secret_value", retry: false, log });
    const reset = Math.floor(Date.now() / 1000) + 3600;
    github
      .api()
      .get("/repos/octo-org/hello-world")
      .reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "120" });
    github
      .api()
      .get("/repos/octo-org/other")
      .reply(
        403,
        { message: "API rate limit exceeded" },
        {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(reset),
        },
      );

    const secondary = fetchRepository({ client: octokit, owner: "octo-org", repo: "hello-world" });
    await expect(secondary).rejects.toThrow(AppError);
    await expect(secondary).rejects.toMatchObject({ code: "GITHUB_RATE_LIMITED", retryable: true });
    await expect(
      fetchRepository({ client: octokit, owner: "octo-org", repo: "other" }),
    ).rejects.toMatchObject({
      code: "GITHUB_RATE_LIMITED",
      message: expect.stringContaining(`it resets at ${new Date(reset * 1000).toISOString()}`),
    });
    expect(warnings).toEqual([
      "GitHub secondary rate limit hit by GET /repos/{owner}/{repo}; giving up",
      "GitHub rate limit hit by GET /repos/{owner}/{repo}; giving up",
    ]);
  });
});

describe("createOctokit logging", () => {
  const github = useNockGitHub();

  it("passes only messages to the log, never the request options that carry the token", async () => {
    const logged: unknown[][] = [];
    const record = (...args: unknown[]) => logged.push(args);
    const log = { debug: record, info: record, warn: record, error: record };
    const octokit = createOctokit({ auth: "ghs_secret_value", retry: false, throttle: false, log });
    github.api().get("/repos/octo-org/hello-world").reply(200, githubFixture("repository.json"));

    await fetchRepository({ client: octokit, owner: "octo-org", repo: "hello-world" });

    expect(logged).toEqual([
      ["request"],
      [expect.stringMatching(/^GET \/repos\/octo-org\/hello-world - 200 /)],
    ]);
    expect(JSON.stringify(logged)).not.toContain("ghs_secret_value");
  });
});
