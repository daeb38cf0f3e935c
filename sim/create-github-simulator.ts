import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handleRequest, send } from "./handle-request.js";
import { resolveCommitSha } from "./resolve-git-ref.js";
import { ALL_ROUTES, ROUTE_NAMES } from "./routes/all-routes.js";
import { type ContentWriteCounts, contentWriteCounts } from "./secondary-limits.js";
import {
  type AddRepositoryOptions,
  openRepository,
  readBranches,
  repositoryKey,
  type SimPermission,
  type SimPull,
  type SimRepository,
} from "./sim-repository.js";
import {
  createSimulatorState,
  emptyStats,
  type Fault,
  type GitHubSimulatorOptions,
  type RecordedWrite,
  type SimulatorStats,
} from "./simulator-state.js";

import { buildPushPayload } from "./webhooks/build-push-payload.js";
import { deliverWebhook, type WebhookDelivery } from "./webhooks/deliver-webhook.js";
import { deliveriesIdle } from "./webhooks/deliveries-in-flight.js";
import type { HookDelivery } from "./webhooks/hook-delivery.js";
import { repositoryPayload } from "./webhooks/repository-payload.js";
import type { WebhookTarget } from "./webhooks/send-webhook.js";

export type { ContentWriteCounts, SecondaryLimits } from "./secondary-limits.js";
export type { AddRepositoryOptions, SimPermission, SimPull } from "./sim-repository.js";
export type {
  Fault,
  FaultKind,
  GitHubSimulatorOptions,
  RecordedWrite,
  SimulatorStats,
} from "./simulator-state.js";
export type { WebhookDelivery } from "./webhooks/deliver-webhook.js";
export type { HookDelivery } from "./webhooks/hook-delivery.js";
export type { WebhookTarget } from "./webhooks/send-webhook.js";

/** Where a started simulator listens, and the environment that points the app at it. */
export type SimulatorAddress = {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** REST base URL: `${url}/api/v3` */
  apiUrl: string;
  /** `${url}/api/graphql` */
  graphqlUrl: string;
  /** GitHub Enterprise Server settings: Octokit then uses apiUrl and graphqlUrl */
  ghe: { GHE_HOST: string; GHE_PROTOCOL: "http" };
};

/** A served repository's identity, as addRepository returns it. */
export type SimRepositoryInfo = {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  installationId: number;
  /** branch → head SHA when it was added */
  branches: Record<string, string>;
};

export type GitHubSimulator = {
  start(): Promise<SimulatorAddress>;
  stop(): Promise<void>;
  /**
   * Serves a git repository as `owner/name`; its branch heads are read once, then held in memory. A repository with
   * no refs (`git init --bare`) is served as GitHub serves an empty one until a branch is set.
   */
  addRepository(options: AddRepositoryOptions): Promise<SimRepositoryInfo>;
  /** "Pushes": points a branch (new or existing) at a commit of the repository (an empty repository then has one). */
  setBranch(owner: string, name: string, branch: string, sha: string): void;
  deleteBranch(owner: string, name: string, branch: string): void;
  /**
   * Renames a branch as GitHub's rename does: `from` disappears, `to` points at its head (and is the default branch
   * if `from` was). The rename is kept, so `GET /branches/{from}` answers 301 to `/branches/{to}` (and still, through
   * a later rename, to the newest name); the git refs and commits APIs no longer know `from`.
   */
  renameBranch(owner: string, name: string, from: string, to: string): void;
  /** Re-reads every branch head from the repository's refs (after commitChanges({ branch }), for instance). */
  reloadBranches(owner: string, name: string): Promise<void>;
  /**
   * A user's role, as `GET /collaborators/{user}/permission` answers it (`role_name`; `permission` maps maintain to
   * write and triage to read); default "write".
   */
  setPermission(owner: string, name: string, user: string, permission: SimPermission): void;
  /**
   * The person signed in on "GitHub" when the OAuth authorize page is opened: it answers at once with a code for them
   * (see sim/routes/oauth-routes.ts); undefined makes it answer `error=access_denied`. Which repositories they see
   * under `/user/installations` follows setPermission (a role of read or more; no default there).
   */
  signInAs(login: string | undefined): void;
  /** Revokes every user access and refresh token issued to `login` (as when the person revokes the app's authorization). */
  revokeUserTokens(login: string): void;
  /** A pull request `GET /pulls/{n}` answers. */
  setPull(owner: string, name: string, number: number, pull: SimPull): void;
  /**
   * Builds the gzipped archive of a ref ahead of time (like codeload's cache), so a later download streams a file
   * instead of waiting on `git archive` and gzip. Returns the commit and the archive's size.
   */
  prepareTarball(owner: string, name: string, ref: string): Promise<{ sha: string; bytes: number }>;
  /** Requests and response body bytes per route name since start or resetStats. */
  stats(): SimulatorStats;
  resetStats(): void;
  /** Makes the next `times` requests (to `route`, or to any route) fail; see FaultKind. */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /**
   * Holds every request to `route` (a name of `routeNames`) until `release()`: a test can keep a client waiting in a
   * known place (a sync in the middle of a phase) as long as it needs, whatever the machine's speed. `reached`
   * resolves once a request is held.
   */
  hold(route: string): { reached: Promise<void>; release: () => void };
  setLatency(latencyMs: number): void;
  /** Write requests received (check runs, comments, reactions), oldest first, with their bodies. */
  readonly recorded: readonly RecordedWrite[];
  clearRecorded(): void;
  /** Every route name stats and faults use, e.g. `GET /repos/{owner}/{repo}/git/trees/{sha}`. */
  readonly routeNames: readonly string[];
  /** Where `push`, `deliver` and redeliveries send webhooks (the app's webhook URL and secret). */
  setWebhookTarget(target: WebhookTarget): void;
  /**
   * A push as GitHub reports it: moves `branch` to `sha` (null deletes it) and delivers the signed `push` webhook,
   * built from the repository's git history (before/after, created/deleted/forced, commits with changed paths).
   */
  push(
    owner: string,
    name: string,
    branch: string,
    sha: string | null,
    options?: { sender?: string },
  ): Promise<WebhookDelivery & { payload: Record<string, unknown> }>;
  /**
   * Delivers any webhook (signed) to the target; `id` repeats an earlier delivery's GUID (logged as a redelivery).
   * Like push, it resolves (status 0) rather than rejects when the target is down or does not answer in time.
   */
  deliver(event: string, payload: unknown, options?: { id?: string }): Promise<WebhookDelivery>;
  /**
   * Every webhook sent (push, deliver, redeliveries), oldest first, as `GET /app/hook/deliveries/{delivery_id}`
   * answers it: failures included (status_code 0 with "failed to connect to host" or "timed out").
   */
  readonly deliveries: readonly HookDelivery[];
  /** Empties the delivery log (ids keep counting up). */
  clearDeliveries(): void;
  /**
   * Resolves when no webhook is being sent, redeliveries included: `POST /app/hook/deliveries/{id}/attempts` answers
   * 202 and sends afterwards, as GitHub does. Rejects if a send failed inside the simulator.
   */
  deliveriesIdle(): Promise<void>;
  /**
   * Content-creating requests (check run create/update, issue comments, reactions) per installation id (0 for requests
   * without an installation token the simulator issued): admitted total, the most in any sliding 60 s and 3,600 s
   * window, and how many the secondary limits refused. GitHub's documented limits are 80 a minute and 500 an hour.
   */
  contentWrites(): Record<number, ContentWriteCounts>;
  clearContentWrites(): void;
  /** A repository's payload object, as webhooks carry it. */
  repositoryPayload(owner: string, name: string): Record<string, unknown>;
};

/**
 * A local GitHub (REST under /api/v3, GraphQL at /api/graphql, as GitHub Enterprise Server is reached) answering from
 * real git repositories on disk.
 * @example
 * const sim = createGitHubSimulator();
 * await sim.addRepository({ owner: "octo", name: "big", gitDir });
 * const { apiUrl, ghe } = await sim.start();
 * const octokit = createOctokit({ auth: "x", baseUrl: apiUrl });
 */
export function createGitHubSimulator(options: GitHubSimulatorOptions = {}): GitHubSimulator {
  const sim = createSimulatorState(options);
  let server: Server | undefined;

  const repositoryOf = (owner: string, name: string): SimRepository => {
    const repository = sim.repositories.get(repositoryKey(owner, name));
    if (!repository)
      throw new Error(`The simulator serves no repository ${owner}/${name}: call addRepository first.`);
    return repository;
  };

  return {
    async start() {
      if (server) throw new Error("The simulator is already started.");
      const started = createServer((request, response) => {
        handleRequest(sim, ALL_ROUTES, request, response).catch((error: unknown) => {
          if (!response.headersSent)
            send(response, { status: 500, json: { message: `simulator error: ${error}` } });
          else response.destroy();
        });
      });
      server = started;
      await new Promise<void>((resolve, reject) => {
        started.once("error", reject);
        started.listen(options.port ?? 0, "127.0.0.1", () => resolve());
      });
      const { port } = started.address() as AddressInfo;
      sim.url = `http://127.0.0.1:${port}`;
      sim.apiUrl = `${sim.url}/api/v3`;
      return {
        url: sim.url,
        apiUrl: sim.apiUrl,
        graphqlUrl: `${sim.url}/api/graphql`,
        ghe: { GHE_HOST: `127.0.0.1:${port}`, GHE_PROTOCOL: "http" },
      };
    },

    async stop() {
      for (const held of [...sim.holds]) held.release();
      // A redelivery still being sent finishes (or times out) first, so none reaches the app after stop.
      await deliveriesIdle(sim).catch(() => {});
      for (const repository of sim.repositories.values()) repository.git.close();
      await sim.tarballs.clear();
      const stopping = server;
      server = undefined;
      if (!stopping) return;
      await new Promise<void>((resolve) => {
        stopping.close(() => resolve());
        stopping.closeAllConnections();
      });
    },

    async addRepository(repositoryOptions) {
      const key = repositoryKey(repositoryOptions.owner, repositoryOptions.name);
      if (sim.repositories.has(key)) {
        throw new Error(`The simulator already serves ${repositoryOptions.owner}/${repositoryOptions.name}.`);
      }
      const id = repositoryOptions.id ?? sim.nextId.repository++;
      const repository = await openRepository({ ...repositoryOptions, id });
      sim.repositories.set(key, repository);
      return {
        id,
        owner: repository.owner,
        name: repository.name,
        fullName: `${repository.owner}/${repository.name}`,
        defaultBranch: repository.defaultBranch,
        installationId: repository.installationId,
        branches: Object.fromEntries(repository.branches),
      };
    },

    setBranch(owner, name, branch, sha) {
      if (!/^[0-9a-f]{40}$/.test(sha))
        throw new Error(`setBranch needs a full lowercase commit SHA, got "${sha}".`);
      const repository = repositoryOf(owner, name);
      repository.branches.set(branch, sha);
      repository.empty = false;
    },

    deleteBranch(owner, name, branch) {
      repositoryOf(owner, name).branches.delete(branch);
    },

    renameBranch(owner, name, from, to) {
      const repository = repositoryOf(owner, name);
      const sha = repository.branches.get(from);
      if (sha === undefined) throw new Error(`${owner}/${name} has no branch "${from}" to rename.`);
      if (repository.branches.has(to)) throw new Error(`${owner}/${name} already has a branch "${to}".`);
      repository.branches.delete(from);
      repository.branches.set(to, sha);
      repository.renamedBranches.set(from, to);
      // `to` is a live branch again: a rename recorded away from it must not redirect it.
      repository.renamedBranches.delete(to);
      if (repository.defaultBranch === from) repository.defaultBranch = to;
    },

    async reloadBranches(owner, name) {
      const repository = repositoryOf(owner, name);
      repository.branches = await readBranches(repository.gitDir);
      if (repository.branches.size > 0) repository.empty = false;
    },

    setPermission(owner, name, user, permission) {
      repositoryOf(owner, name).permissions.set(user.toLowerCase(), permission);
    },

    signInAs(login) {
      sim.oauth.signedInAs = login;
    },

    revokeUserTokens(login) {
      for (const tokens of [sim.oauth.accessTokens, sim.oauth.refreshTokens]) {
        for (const [token, grant] of tokens) if (grant.login === login) tokens.delete(token);
      }
    },

    setPull(owner, name, number, pull) {
      repositoryOf(owner, name).pulls.set(number, pull);
    },

    async prepareTarball(owner, name, ref) {
      const repository = repositoryOf(owner, name);
      const sha = await resolveCommitSha(repository, ref);
      if (!sha) throw new Error(`${owner}/${name} has no commit "${ref}".`);
      const { bytes } = await sim.tarballs.prepare(repository, sha, sim.tarballGzipLevel);
      return { sha, bytes };
    },

    stats() {
      const { requests, bytes, total, totalBytes, serveMs } = sim.stats;
      return { requests: { ...requests }, bytes: { ...bytes }, total, totalBytes, serveMs: { ...serveMs } };
    },

    resetStats() {
      sim.stats = emptyStats();
    },

    injectFault(fault) {
      if (fault.route !== undefined && !ROUTE_NAMES.includes(fault.route)) {
        throw new Error(
          `No route is named "${fault.route}"; route names are:\n  ${ROUTE_NAMES.join("\n  ")}`,
        );
      }
      sim.faults.push({ ...fault });
    },

    clearFaults() {
      sim.faults.length = 0;
    },

    hold(route) {
      if (!ROUTE_NAMES.includes(route)) {
        throw new Error(`No route is named "${route}"; route names are:\n  ${ROUTE_NAMES.join("\n  ")}`);
      }
      let arrive = () => {};
      let release = () => {};
      const reached = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const entry = {
        route,
        reached,
        arrive,
        released,
        release: () => {
          const index = sim.holds.indexOf(entry);
          if (index >= 0) sim.holds.splice(index, 1);
          release();
        },
      };
      sim.holds.push(entry);
      return { reached, release: entry.release };
    },

    setLatency(latencyMs) {
      sim.latencyMs = latencyMs;
    },

    get recorded() {
      return sim.recorded;
    },

    clearRecorded() {
      sim.recorded.length = 0;
    },

    routeNames: ROUTE_NAMES,

    setWebhookTarget(target) {
      sim.webhookTarget = target;
    },

    async push(owner, name, branch, sha, pushOptions = {}) {
      const repository = repositoryOf(owner, name);
      if (sha !== null && !/^[0-9a-f]{40}$/.test(sha))
        throw new Error(`push needs a full lowercase commit SHA or null, got "${sha}".`);
      const before = repository.branches.get(branch) ?? null;
      if (sha === null) repository.branches.delete(branch);
      else {
        repository.branches.set(branch, sha);
        repository.empty = false;
      }
      const payload = await buildPushPayload(sim, repository, {
        branch,
        before,
        after: sha,
        sender: pushOptions.sender,
      });
      return { ...(await deliverWebhook(sim, { event: "push", payload })), payload };
    },

    deliver(event, payload, deliverOptions = {}) {
      const { id } = deliverOptions;
      return deliverWebhook(sim, { event, payload, guid: id, redelivery: id !== undefined });
    },

    get deliveries() {
      return sim.deliveries;
    },

    clearDeliveries() {
      sim.deliveries.length = 0;
    },

    deliveriesIdle() {
      return deliveriesIdle(sim);
    },

    contentWrites() {
      return contentWriteCounts(sim);
    },

    clearContentWrites() {
      sim.contentWrites.clear();
    },

    repositoryPayload(owner, name) {
      return repositoryPayload(sim, repositoryOf(owner, name));
    },
  };
}
