import { createOAuthState, type OAuthState } from "./oauth-state.js";
import { notFound } from "./reply.js";
import { createResponseCache, type ResponseCache } from "./response-cache.js";
import type { ContentWriteLog, SecondaryLimits } from "./secondary-limits.js";
import type { SimRepository } from "./sim-repository.js";
import { repositoryKey } from "./sim-repository.js";
import { createTarballCache, type TarballCache } from "./tarball-cache.js";
import type { HookDelivery } from "./webhooks/hook-delivery.js";
import type { WebhookTarget } from "./webhooks/send-webhook.js";

/** GitHub cuts a recursive tree listing at 7 MB of JSON (or 100,000 entries, whichever comes first). */
export const DEFAULT_TREE_TRUNCATE_BYTES = 7 * 1024 * 1024;

export type GitHubSimulatorOptions = {
  /** delay added to every request, in milliseconds; default 0 */
  latencyMs?: number;
  /** a recursive tree listing longer than this is cut and marked truncated; default 100,000 like GitHub */
  treeTruncateLimit?: number;
  /**
   * also cut a recursive listing so its whole JSON body stays within this many bytes; default 7 MB (7 * 1024 * 1024),
   * GitHub's other cap, which trees of ~30,000 files already reach before 100,000 entries
   */
  treeTruncateBytes?: number;
  /**
   * GraphQL `Blob.isBinary` answers null ("unable to determine the encoding", which GitHub's schema allows) for
   * blobs larger than this many bytes; default never
   */
  blobIsBinaryUnknownAbove?: number;
  /** GraphQL `Tree.entries` (nullable in GitHub's schema) answers null for trees with more entries; default never */
  treeEntriesNullAbove?: number;
  /**
   * a comparison with more changed files than this has no `files` key at all, as GitHub answers very large
   * comparisons; default never (up to 300 files are listed either way)
   */
  compareOmitFilesAbove?: number;
  /**
   * gzip level of tarballs, 0–9; default 1. GitHub compresses harder (≈ level 6), but level 6 takes ~40 s for a
   * 100,000-file archive on a 2-core machine and level 1 ~16 s (18% more bytes); prepareTarball moves that cost
   * out of a measurement.
   */
  tarballGzipLevel?: number;
  /** port to listen on; default 0 (a free port) */
  port?: number;
  /** a webhook target that has not answered after this many milliseconds is logged "timed out"; default 10,000 like GitHub */
  webhookTimeoutMs?: number;
  /**
   * Refuses a content-creating request (check run create/update, issue comment, reaction) once its installation made
   * `perMinute` of them in the last 60 s or `perHour` in the last hour, with GitHub's secondary-rate-limit 403.
   * GitHub documents 80 and 500. Default: off (the requests are still counted, see contentWrites()).
   */
  secondaryLimits?: SecondaryLimits;
  /**
   * The clock, in epoch milliseconds, of delivery times, the 3-day redelivery window and the secondary-limit windows,
   * so a test can move time instead of waiting; default Date.now.
   */
  now?: () => number;
  /** lifetime of the user access tokens the OAuth web flow issues, in seconds; default 28,800 (8 hours) like GitHub */
  userTokenSeconds?: number;
};

/**
 * What injectFault makes a request fail with: a status, GitHub's secondary rate limit (403 with retry-after: 1; or,
 * as GitHub usually sends it, 403 or 429 without retry-after and with x-ratelimit-remaining not 0), its primary rate
 * limit (403, x-ratelimit-remaining: 0), or a connection reset.
 */
export type FaultKind =
  | "500"
  | "502"
  | "secondary-rate-limit"
  | "secondary-rate-limit-403"
  | "secondary-rate-limit-429"
  | "rate-limit"
  | "reset";

export type Fault = {
  /** a route name such as `GET /repos/{owner}/{repo}/git/trees/{tree_sha}`; omitted = any request */
  route?: string;
  /** how many matching requests fail; each failure uses one */
  times: number;
  kind: FaultKind;
};

/** A write request the simulator answered (check runs, comments, reactions), with its JSON body. */
export type RecordedWrite = {
  route: string;
  method: string;
  /** the request path without the /api/v3 prefix */
  path: string;
  params: Record<string, string>;
  body: unknown;
  /** the status the simulator answered */
  status: number;
};

export type SimulatorStats = {
  requests: Record<string, number>;
  /** response body bytes per route (streamed bytes for tarballs) */
  bytes: Record<string, number>;
  /** all requests */
  total: number;
  /** all response body bytes */
  totalBytes: number;
  /** milliseconds from a request's arrival to its response's end, summed per route (the simulator's own latency) */
  serveMs: Record<string, number>;
};

/** Requests to a route held until released (see GitHubSimulator.hold). */
export type RouteHold = {
  route: string;
  /** resolves when a request has reached the hold */
  reached: Promise<void>;
  arrive: () => void;
  /** resolves when the hold is released */
  released: Promise<void>;
  release: () => void;
};

/** Everything the routes share: options, URLs, repositories, counters, faults, recorded writes, id counters. */
export type SimulatorState = {
  latencyMs: number;
  treeTruncateLimit: number;
  treeTruncateBytes: number;
  blobIsBinaryUnknownAbove: number;
  treeEntriesNullAbove: number;
  compareOmitFilesAbove: number;
  tarballGzipLevel: number;
  /** `http://127.0.0.1:PORT`, set by start() */
  url: string;
  /** `${url}/api/v3` */
  apiUrl: string;
  repositories: Map<string, SimRepository>;
  stats: SimulatorStats;
  faults: Fault[];
  holds: RouteHold[];
  recorded: RecordedWrite[];
  nextId: {
    repository: number;
    checkRun: number;
    comment: number;
    reaction: number;
    token: number;
    delivery: number;
  };
  /** installation access token → installation id, for the routes an installation token lists its repositories with */
  tokens: Map<string, number>;
  /** serialized tree listings, which are immutable per tree SHA */
  treeCache: ResponseCache;
  /** gzipped archives built ahead by prepareTarball */
  tarballs: TarballCache;
  now: () => number;
  /** where webhooks (and redeliveries) go, set by setWebhookTarget */
  webhookTarget: WebhookTarget | undefined;
  webhookTimeoutMs: number;
  /** every webhook sent, oldest first, as GitHub's delivery log keeps it */
  deliveries: HookDelivery[];
  /** webhook sends not finished yet (redeliveries run after their 202), for deliveriesIdle */
  deliveriesInFlight: Set<Promise<unknown>>;
  secondaryLimits: SecondaryLimits | undefined;
  /** content-creating requests per installation id (0: no known installation token) */
  contentWrites: Map<number, ContentWriteLog>;
  /** the OAuth web flow: who is signed in on "GitHub", codes, user access and refresh tokens */
  oauth: OAuthState;
};

/** The shared state of a new simulator, options applied. */
export function createSimulatorState(options: GitHubSimulatorOptions): SimulatorState {
  return {
    latencyMs: options.latencyMs ?? 0,
    treeTruncateLimit: options.treeTruncateLimit ?? 100_000,
    treeTruncateBytes: options.treeTruncateBytes ?? DEFAULT_TREE_TRUNCATE_BYTES,
    blobIsBinaryUnknownAbove: options.blobIsBinaryUnknownAbove ?? Number.POSITIVE_INFINITY,
    treeEntriesNullAbove: options.treeEntriesNullAbove ?? Number.POSITIVE_INFINITY,
    compareOmitFilesAbove: options.compareOmitFilesAbove ?? Number.POSITIVE_INFINITY,
    tarballGzipLevel: options.tarballGzipLevel ?? 1,
    url: "",
    apiUrl: "",
    repositories: new Map(),
    stats: emptyStats(),
    faults: [],
    holds: [],
    recorded: [],
    // Delivery ids are large like GitHub's int64 ones, so code that assumes small ids is caught.
    nextId: { repository: 100_001, checkRun: 1, comment: 1, reaction: 1, token: 1, delivery: 90_000_000_001 },
    tokens: new Map(),
    treeCache: createResponseCache(256 * 1024 * 1024),
    tarballs: createTarballCache(),
    now: options.now ?? Date.now,
    webhookTarget: undefined,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
    deliveries: [],
    deliveriesInFlight: new Set(),
    secondaryLimits: options.secondaryLimits,
    contentWrites: new Map(),
    oauth: createOAuthState(options.userTokenSeconds),
  };
}

export function emptyStats(): SimulatorStats {
  return { requests: {}, bytes: {}, total: 0, totalBytes: 0, serveMs: {} };
}

/** The repository `{owner}/{repo}` of a route, or GitHub's 404. */
export function requireRepository(sim: SimulatorState, params: Record<string, string>): SimRepository {
  const repository = sim.repositories.get(repositoryKey(params.owner ?? "", params.repo ?? ""));
  if (!repository) throw notFound();
  return repository;
}

/** The repository with a GitHub id (Link headers name repositories by id), or GitHub's 404. */
export function requireRepositoryById(sim: SimulatorState, id: string): SimRepository {
  for (const repository of sim.repositories.values()) if (String(repository.id) === id) return repository;
  throw notFound();
}

/** The API URL of a repository, as GitHub puts in `url` fields. */
export function repositoryApiUrl(sim: SimulatorState, repository: SimRepository): string {
  return `${sim.apiUrl}/repos/${repository.owner}/${repository.name}`;
}
