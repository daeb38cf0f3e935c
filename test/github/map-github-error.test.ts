import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { AppError } from "../../src/errors.js";
import { fetchRepository } from "../../src/github/fetch-repository.js";
import { mapGitHubError } from "../../src/github/map-github-error.js";
import { githubFixture, testOctokit, useNockGitHub } from "../helpers/nock-github.js";

const repoPath = "/repos/octo-org/hello-world";
type Case = {
  name: string;
  status: number;
  body: string | { message: string };
  headers: Record<string, string>;
  expected: Record<string, unknown>;
};

const read = () => fetchRepository({ client: testOctokit(), owner: "octo-org", repo: "hello-world" });

describe("mapGitHubError on REST responses", () => {
  const github = useNockGitHub();

  it.each<Case>([
    {
      name: "404 as the caller's not-found code",
      status: 404,
      body: { message: "Not Found" },
      headers: {},
      expected: {
        code: "REPOSITORY_NOT_FOUND",
        status: 404,
        retryable: false,
        message: "GitHub found no repository octo-org/hello-world, or the app/token has no access to it.",
      },
    },
    {
      name: "401 as GITHUB_AUTH naming the credentials",
      status: 401,
      body: { message: "Bad credentials" },
      headers: {},
      expected: {
        code: "GITHUB_AUTH",
        retryable: false,
        message: expect.stringContaining("check GITHUB_TOKEN, or APP_ID and PRIVATE_KEY"),
      },
    },
    {
      name: "403 with x-ratelimit-remaining 0 as a retryable GITHUB_RATE_LIMITED with the reset time",
      status: 403,
      body: { message: "API rate limit exceeded for installation ID 42." },
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1795000000" },
      expected: {
        code: "GITHUB_RATE_LIMITED",
        status: 429,
        retryable: true,
        message: `GitHub rate limit exceeded by a request for repository octo-org/hello-world; it resets at ${new Date(1795000000 * 1000).toISOString()}.`,
      },
    },
    {
      name: "429 secondary limit with retry-after as GITHUB_RATE_LIMITED, retried after it",
      status: 429,
      body: { message: "You have exceeded a secondary rate limit." },
      headers: { "retry-after": "30" },
      expected: {
        code: "GITHUB_RATE_LIMITED",
        retryable: true,
        message: expect.stringContaining(
          "secondary rate limit was hit by a request for repository octo-org/hello-world; retrying after 30 s",
        ),
      },
    },
    {
      name: "403 secondary limit without retry-after (as GitHub often sends it) as GITHUB_RATE_LIMITED, a minute later",
      status: 403,
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
      headers: { "x-ratelimit-remaining": "4990", "x-ratelimit-reset": "1795000000" },
      expected: {
        code: "GITHUB_RATE_LIMITED",
        retryable: true,
        message: expect.stringContaining("retrying after 60 s"),
      },
    },
    {
      name: "429 primary limit with retry-after as GITHUB_RATE_LIMITED",
      status: 429,
      body: { message: "API rate limit exceeded." },
      headers: { "retry-after": "30" },
      expected: {
        code: "GITHUB_RATE_LIMITED",
        retryable: true,
        message: expect.stringContaining("GitHub asks to retry after 30 s"),
      },
    },
    {
      name: "other 403 as FORBIDDEN naming the permission",
      status: 403,
      body: { message: "Resource not accessible by integration" },
      headers: { "x-ratelimit-remaining": "4999" },
      expected: {
        code: "FORBIDDEN",
        retryable: false,
        message: expect.stringContaining('"Contents: read"'),
      },
    },
    {
      name: "409 Git Repository is empty as CONFLICT",
      status: 409,
      body: { message: "Git Repository is empty." },
      headers: {},
      expected: {
        code: "CONFLICT",
        retryable: false,
        message: expect.stringContaining("repository is empty"),
      },
    },
    {
      name: "500 as a retryable GITHUB_UNAVAILABLE",
      status: 500,
      body: { message: "Server Error" },
      headers: {},
      expected: { code: "GITHUB_UNAVAILABLE", status: 503, retryable: true },
    },
    {
      name: "502 with an HTML body as GITHUB_UNAVAILABLE",
      status: 502,
      body: "<html>Bad gateway</html>",
      headers: { "content-type": "text/html" },
      expected: { code: "GITHUB_UNAVAILABLE", retryable: true },
    },
  ])("maps $name", async ({ status, body, headers, expected }) => {
    github.api().get(repoPath).reply(status, body, headers);

    const error = await read().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject(expected);
  });

  it("maps a connection failure to a retryable GITHUB_UNAVAILABLE", async () => {
    github.api().get(repoPath).replyWithError({ code: "ECONNRESET", message: "socket hang up" });

    await expect(read()).rejects.toMatchObject({ code: "GITHUB_UNAVAILABLE", retryable: true });
  });

  it("maps a response missing a field we read to GITHUB_INVALID_RESPONSE naming the field", async () => {
    const { default_branch: _, ...repository } = githubFixture("repository.json");
    github.api().get(repoPath).reply(200, repository);

    await expect(read()).rejects.toMatchObject({
      code: "GITHUB_INVALID_RESPONSE",
      message: expect.stringContaining("default_branch"),
    });
  });
});

describe("mapGitHubError on other errors", () => {
  it("returns an AppError unchanged", () => {
    const error = new AppError("BRANCH_NOT_FOUND", "no branch");

    expect(mapGitHubError(error, { what: "x" })).toBe(error);
  });

  it("maps GraphQL errors by type", () => {
    const graphqlError = (type: string | undefined, message: string) =>
      Object.assign(new Error(message), { name: "GraphqlResponseError", errors: [{ type, message }] });

    expect(
      mapGitHubError(graphqlError("NOT_FOUND", "Could not resolve to a Repository"), {
        what: "repository octo-org/gone",
        notFound: "REPOSITORY_NOT_FOUND",
      }),
    ).toMatchObject({ code: "REPOSITORY_NOT_FOUND", message: expect.stringContaining("no access to it") });
    expect(
      mapGitHubError(graphqlError("RATE_LIMITED", "API rate limit exceeded"), { what: "x" }),
    ).toMatchObject({
      code: "GITHUB_RATE_LIMITED",
      retryable: true,
    });
    expect(mapGitHubError(graphqlError("FORBIDDEN", "Resource not accessible"), { what: "x" })).toMatchObject(
      {
        code: "FORBIDDEN",
      },
    );
    expect(
      mapGitHubError(graphqlError(undefined, "Something went wrong while executing your query."), {
        what: "x",
      }),
    ).toMatchObject({ code: "GITHUB_UNAVAILABLE", retryable: true });
  });

  it("maps a zod error to GITHUB_INVALID_RESPONSE and a fetch failure to GITHUB_UNAVAILABLE", () => {
    const zodError = z.object({ sha: z.string() }).safeParse({}).error;

    expect(mapGitHubError(zodError, { what: "x" })).toMatchObject({ code: "GITHUB_INVALID_RESPONSE" });
    expect(
      mapGitHubError(new TypeError("fetch failed", { cause: { code: "ENOTFOUND" } }), { what: "x" }),
    ).toMatchObject({ code: "GITHUB_UNAVAILABLE", retryable: true });
  });

  it("keeps programming errors INTERNAL rather than calling them outages", () => {
    expect(mapGitHubError(new TypeError("x is undefined"), { what: "x" })).toMatchObject({
      code: "INTERNAL",
      retryable: false,
    });
  });
});
