import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach } from "@jest/globals";
import nock from "nock";
import { createOctokit } from "../../src/github/create-octokit.js";

export const GITHUB_API = "https://api.github.com";

/** One request a mock answered, as `github.requests()` lists it. */
export type RecordedRequest = { method: string; path: string; body: unknown };

export type NockGitHub = {
  /** A nock scope for the GitHub API (or a GHE base such as "https://ghe.example.com") whose requests are recorded. */
  api(baseUrl?: string): nock.Scope;
  /** Requests answered by scopes from `api()`, in the order they arrived. */
  requests(): RecordedRequest[];
};

// Hosts the tests may reach for real (a local server under test); nock reports these as "no match" too.
const LOCAL_HOSTS = /(127\.0\.0\.1|localhost)/;

/**
 * Call at the top of a describe: no request leaves the machine, and every test fails on a request nock could not
 * match or on a mock it never used, so each test pins exactly which GitHub requests the code makes.
 */
export function useNockGitHub(): NockGitHub {
  let unmatched: string[] = [];
  let recorded: RecordedRequest[] = [];
  const onNoMatch = (request: { method?: string; url?: string; href?: string }) => {
    const url = request.url ?? request.href ?? "(unknown url)";
    if (LOCAL_HOSTS.test(hostOf(url))) return;
    unmatched.push(`${request.method ?? "?"} ${url}`);
  };

  // nock patches node:http for the whole worker; undo it after the file so later files (supertest, real servers)
  // in the same worker talk to real sockets.
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
  });
  afterAll(() => {
    nock.restore();
  });

  beforeEach(() => {
    unmatched = [];
    recorded = [];
    nock.disableNetConnect();
    nock.enableNetConnect(LOCAL_HOSTS);
    nock.emitter.on("no match", onNoMatch);
  });

  afterEach(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    const pending = nock.isDone() ? [] : nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    const problems = [
      ...unmatched.map((request) => `request with no mock: ${request}`),
      ...pending.map((mock) => `mock never used: ${mock}`),
    ];
    if (problems.length > 0) throw new Error(`nock-github:\n  ${problems.join("\n  ")}`);
  });

  return {
    api(baseUrl = GITHUB_API) {
      const scope = nock(baseUrl);
      scope.on("request", (request: Request, _interceptor: unknown, body: string) => {
        const url = new URL(request.url);
        recorded.push({
          method: request.method,
          path: `${url.pathname}${url.search}`,
          body: parseBody(body),
        });
      });
      return scope;
    },
    requests: () => [...recorded],
  };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The Octokit every connector test uses: a fake installation token, no retries (request counts stay exact), no
 * throttling, and no request log (Octokit logs every failed request, and the error tests fail many on purpose).
 */
export function testOctokit(options: { baseUrl?: string } = {}) {
  return createOctokit({
    auth: "ghs_test",
    baseUrl: options.baseUrl ?? GITHUB_API,
    retry: false,
    throttle: false,
    log: silent,
  });
}

/** A recorded GitHub response from test/fixtures/github/, parsed fresh for each call so tests can change it. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are JSON shaped like GitHub's responses, typed by each test
export function githubFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), "utf8")) as T;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function parseBody(body: string | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** GitHub's answer for `GET /branches/{name}` (the feature-x fixture under another name: GitHub echoes the name). */
export function branchFixture(name: string) {
  return { ...githubFixture("branch.feature-x.json"), name };
}
