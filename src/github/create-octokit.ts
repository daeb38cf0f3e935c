import { createAppAuth } from "@octokit/auth-app";
import { retry as retryPlugin } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import Bottleneck from "bottleneck";

const ProjectSyncOctokit = Octokit.plugin(retryPlugin, throttling);

/** The Octokit createOctokit returns: @octokit/rest with retries and throttling. */
export type ProjectSyncOctokit = InstanceType<typeof ProjectSyncOctokit>;

/** GitHub App credentials; without installationId the client acts as the app itself (JWT), e.g. to list installations. */
export type GitHubAppAuth = { appId: string | number; privateKey: string; installationId?: number };

/** Where Octokit and the throttling warnings log; the app's Logger and Probot's pino logger fit. */
export type OctokitLog = {
  debug: (message: string) => unknown;
  info: (message: string) => unknown;
  warn: (message: string) => unknown;
  error: (message: string) => unknown;
};

/** Where every request's outcome is counted (the app's metrics). */
export type RequestObserver = {
  githubRequests: { inc(labels: { method: string; route: string; status: string }): void };
  githubRateLimitRemaining: { set(labels: { resource: string }, value: number): void };
};

export type CreateOctokitOptions = {
  /** a token (installation, PAT, GITHUB_TOKEN) or GitHub App credentials; omitted = unauthenticated */
  auth?: string | GitHubAppAuth;
  /** REST base URL; see githubApiBaseUrl. Default https://api.github.com */
  baseUrl?: string;
  /** retry 5xx and network failures (plugin-retry); default true. Off in tests so request counts stay exact. */
  retry?: boolean;
  /** wait and retry on rate limits (plugin-throttling); default true */
  throttle?: boolean;
  log?: OctokitLog;
  /** counts every request by route template and status, and the rate limit left */
  observe?: RequestObserver;
};

// Waiting longer than this would stall a sync job; the error is then reported as GITHUB_RATE_LIMITED instead.
const MAX_RETRY_AFTER_SECONDS = 60;
const MAX_RATE_LIMIT_RETRIES = 2;

/**
 * Octokit's throttling spaces every POST 1 s apart, GraphQL queries included (its `write` group takes any request
 * that is not a GET). GitHub's secondary limits count content-creating requests (80 a minute) and GraphQL points (a
 * 100-blob content query costs 1); GitHub asks for mutative requests to be made serially, not for reads to wait. So
 * the plugin's group only orders (no spacing), and the app's own queue — one per process, 200 ms apart, well under
 * both limits — takes the mutative REST requests alone: a push's content query no longer waits behind the check run
 * its sync just created (it waited up to 200 ms, a third of a warm push).
 */
const PLUGIN_WRITE_GROUP = new Bottleneck.Group({
  id: "project-sync-plugin-write",
  maxConcurrent: 10,
  minTime: 0,
});
const MUTATIONS = new Bottleneck({ id: "project-sync-mutations", maxConcurrent: 1, minTime: 200 });

/** A REST request that changes something on GitHub (check runs, comments, reactions): not a read, a GraphQL query or a token. */
export function isMutativeRequest(options: { method: string; url: string }): boolean {
  if (options.method === "GET" || options.method === "HEAD") return false;
  const path = options.url.includes("://") ? new URL(options.url).pathname : options.url;
  return !/\/graphql$/.test(path) && !/\/access_tokens$/.test(path) && !path.includes("/login/oauth/");
}

/** An @octokit/rest client with retry and throttling, authenticated by token or as a GitHub App. */
export function createOctokit(options: CreateOctokitOptions = {}): ProjectSyncOctokit {
  const { auth, baseUrl = "https://api.github.com", retry = true, throttle = true, log } = options;

  // Only method and route template are logged: never headers, where the token travels.
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      octokit: { log: Pick<OctokitLog, "warn"> },
      retryCount: number,
    ) => {
      const willRetry = retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_SECONDS;
      octokit.log.warn(
        `GitHub ${kind} hit by ${request.method} ${request.url}; ${
          willRetry
            ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${MAX_RATE_LIMIT_RETRIES})`
            : "giving up"
        }`,
      );
      return willRetry;
    };

  const octokit = new ProjectSyncOctokit({
    ...(typeof auth === "string" ? { auth } : {}),
    ...(typeof auth === "object" ? { authStrategy: createAppAuth, auth: { ...auth } } : {}),
    baseUrl,
    ...(log ? { log: messagesOnly(log) } : {}),
    retry: { enabled: retry },
    throttle: {
      enabled: throttle,
      write: PLUGIN_WRITE_GROUP,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
    },
  });
  if (throttle) {
    octokit.hook.wrap("request", async (request, requestOptions) => {
      // its turn in the queue, then the request: a slow answer does not hold the next write back
      if (isMutativeRequest(requestOptions)) await MUTATIONS.schedule(async () => undefined);
      return request(requestOptions);
    });
  }
  if (options.observe) observeRequests(octokit, options.observe);
  return octokit;
}

/** Counts each request (each retry included) by method, route template and status; reads the rate limit left. */
function observeRequests(octokit: ProjectSyncOctokit, observe: RequestObserver): void {
  octokit.hook.wrap("request", async (request, options) => {
    const labels = { method: options.method, route: routeOf(options.url) };
    try {
      const response = await request(options);
      record(observe, labels, response.status, response.headers);
      return response;
    } catch (error) {
      const failed = error as { status?: number; response?: { headers?: Record<string, unknown> } };
      record(observe, labels, failed.status ?? 0, failed.response?.headers ?? {});
      throw error;
    }
  });
}

function record(
  observe: RequestObserver,
  labels: { method: string; route: string },
  status: number,
  headers: Record<string, unknown>,
): void {
  observe.githubRequests.inc({ ...labels, status: String(status) });
  const remaining = Number(headers["x-ratelimit-remaining"]);
  const resource = headers["x-ratelimit-resource"];
  if (Number.isFinite(remaining) && headers["x-ratelimit-remaining"] !== undefined) {
    observe.githubRateLimitRemaining.set(
      { resource: typeof resource === "string" ? resource : "core" },
      remaining,
    );
  }
}

/** A route template as a label: a full URL (raw downloads) keeps its path, with SHAs and numbers folded. */
function routeOf(url: string): string {
  const path = url.includes("://") ? new URL(url).pathname : url;
  return path
    .replace(/\b[0-9a-f]{40}\b/g, "{sha}")
    .replace(/\/\d+(?=\/|$)/g, "/{id}")
    .slice(0, 200);
}

/**
 * Octokit's request log passes the request options, authorization header included, as a second argument to
 * `debug`; a structured logger (Probot's pino) would print them. Only the message string goes through.
 */
function messagesOnly(log: OctokitLog): OctokitLog {
  return {
    debug: (message) => log.debug(message),
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
  };
}
