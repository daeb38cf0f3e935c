import type { Principal } from "../auth/principal.js";
import { principalOf } from "../http/create-access-guard.js";
import { getDelivery, listDeliveries } from "../inbox/list-deliveries.js";
import { readInboxSummary } from "../inbox/read-inbox-summary.js";
import { retryDelivery } from "../inbox/retry-delivery.js";
import { recordSync } from "../queue/record-sync.js";
import { compareSyncs, compareWithPrevious } from "../service/compare-syncs.js";
import { findBranchHead } from "../service/find-branch-head.js";
import { getSync } from "../service/get-sync.js";
import { listBranches } from "../service/list-branches.js";
import { listRepositories } from "../service/list-repositories.js";
import { listSyncHistory } from "../service/list-sync-history.js";
import { purgeRepository } from "../service/purge-repository.js";
import { readMemoryFileAt, readMemoryPage } from "../service/read-memory.js";
import { findRestorableSync } from "../service/request-restore.js";
import { requireKnownBranch } from "../service/require-known-branch.js";
import { searchMemory } from "../service/search-memory.js";
import type { ApiDeps } from "./api-deps.js";
import {
  comparePageQuery,
  compareParams,
  deliveryParams,
  listDeliveriesQuery,
  listRepositoriesQuery,
  listSyncsQuery,
  noFields,
  purgeBody,
  readMemoryFileQuery,
  readMemoryQuery,
  repositoryParams,
  searchMemoryQuery,
  startSyncBody,
  syncEventsQuery,
  syncParams,
} from "./api-input-schemas.js";
import {
  branchListSchema,
  deliveryListSchema,
  deliverySchema,
  inboxSummarySchema,
  memoryFileSchema,
  memoryPageSchema,
  openApiDocumentSchema,
  purgeResultSchema,
  repositoryListSchema,
  searchPageSchema,
  syncComparisonSchema,
  syncListSchema,
  syncSchema,
} from "./api-response-schemas.js";
import { type ApiRoute, jsonRoute } from "./api-route.js";
import { createAdminRoutes } from "./create-admin-routes.js";
import { createTokenRoutes } from "./create-token-routes.js";
import { createWebhookRoutes } from "./create-webhook-routes.js";
import { gateFor } from "./person-access.js";

const INBOX_IS_OPERATORS =
  "The inbox holds the GitHub App's deliveries of every installation, so it is the operator's alone (API_TOKEN).";

/** Who a manual action is recorded as requested by: the person's GitHub login, or "api" for the operator. */
function requester(principal: Principal): string {
  return principal.kind === "person" ? principal.login : "api";
}

export type CreateApiRoutesOptions = {
  /** the OpenAPI document of these routes (built by the router from the same list) */
  openApiDocument: () => unknown;
};

/**
 * Every route of the REST API under /api/v1, with the schemas it validates its input with and answers in. The router
 * mounts this list and the OpenAPI document is generated from it: a route cannot be served undocumented.
 */
export function createApiRoutes(options: CreateApiRoutesOptions): ApiRoute[] {
  // the repository a path names, once the request's principal may read it (the same 404 for unknown and hidden)
  const repositoryOf = (deps: ApiDeps, principal: Principal, params: { owner: string; repo: string }) =>
    gateFor(deps, principal).repository(`${params.owner}/${params.repo}`);

  return [
    jsonRoute({
      method: "get",
      path: "/repos",
      operationId: "listRepositories",
      summary: "Repositories memory knows, each with its default branch's last sync",
      query: listRepositoriesQuery,
      status: 200,
      response: repositoryListSchema,
      errors: [],
      forPeople: true,
      handle: async ({ query }, deps, principal) => {
        const access = await gateFor(deps, principal).readableAccess();
        return listRepositories(deps.service, { ...query, githubIds: access && [...access.keys()], access });
      },
    }),
    jsonRoute({
      method: "get",
      path: "/repos/:owner/:repo/branches",
      operationId: "listBranches",
      summary: "The repository's branches on GitHub with their head SHA and last sync",
      params: repositoryParams,
      query: noFields,
      status: 200,
      response: branchListSchema,
      errors: [404, 502, 503],
      forPeople: true,
      handle: async ({ params }, deps, principal) => {
        const repository = await repositoryOf(deps, principal, params);
        return { branches: await listBranches(deps.service, repository), nextCursor: null };
      },
    }),
    jsonRoute({
      method: "get",
      path: "/repos/:owner/:repo/syncs",
      operationId: "listSyncs",
      summary: "Sync history, newest first, with lineage",
      params: repositoryParams,
      query: listSyncsQuery,
      status: 200,
      response: syncListSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params, query }, deps, principal) => {
        const repository = await repositoryOf(deps, principal, params);
        if (query.branch !== undefined) await requireKnownBranch(deps.service, repository, query.branch);
        return listSyncHistory(deps.service, { repository, ...query });
      },
    }),
    jsonRoute({
      method: "post",
      path: "/repos/:owner/:repo/syncs",
      operationId: "startSync",
      summary: "Queue a sync of a branch at its current head (a full resync with full: true)",
      params: repositoryParams,
      query: noFields,
      body: startSyncBody,
      status: 202,
      response: syncSchema,
      errors: [404, 409, 502, 503],
      forPeople: true,
      handle: async ({ params, body }, deps, principal) => {
        const repository = await repositoryOf(deps, principal, params);
        await gateFor(deps, principal).require(repository, "write");
        const branch = body.branch ?? repository.defaultBranch;
        const headSha = await findBranchHead(deps.service, repository, branch);
        const { sync } = await recordSync(deps, {
          repository,
          branch,
          headSha,
          full: body.full ?? false,
          trigger: "manual",
          checkRun: true,
          requestedBy: requester(principal),
        });
        return getSync(deps.service, sync.id);
      },
    }),
    jsonRoute({
      method: "post",
      path: "/repos/:owner/:repo/purge",
      operationId: "purgeRepository",
      summary:
        "Delete the repository's memory and history (its files, every branch's entries, its syncs); needs admin on it",
      description:
        "Refused (409) while a sync of it runs, and while the GitHub App is still installed on it unless force is true. A person needs admin access on the repository, asked of GitHub at this moment.",
      params: repositoryParams,
      query: noFields,
      body: purgeBody,
      status: 200,
      response: purgeResultSchema,
      errors: [404, 409],
      forPeople: true,
      handle: async ({ params, body }, deps, principal) => {
        const repository = await repositoryOf(deps, principal, params);
        await gateFor(deps, principal).require(repository, "admin");
        return purgeRepository(deps.service, `${repository.owner}/${repository.name}`, {
          force: body.force ?? false,
        });
      },
    }),
    jsonRoute({
      method: "get",
      path: "/syncs/:syncId",
      operationId: "getSync",
      summary: "One sync: status, phase, counts, lineage, error, check run",
      params: syncParams,
      query: noFields,
      status: 200,
      response: syncSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params }, deps, principal) =>
        getSync(deps.service, await gateFor(deps, principal).requireSync(params.syncId, "read")),
    }),
    jsonRoute({
      method: "post",
      path: "/syncs/:syncId/restore",
      operationId: "restoreSync",
      summary: "Queue a restore of the sync's branch to its memory right after this (successful) sync",
      params: syncParams,
      query: noFields,
      body: noFields,
      status: 202,
      response: syncSchema,
      errors: [404, 409],
      forPeople: true,
      handle: async ({ params }, deps, principal) => {
        // write on the sync's repository, asked of GitHub now, before anything about the sync is told
        const syncId = await gateFor(deps, principal).requireSync(params.syncId, "write");
        const source = await findRestorableSync(deps.service, syncId);
        const repository = await deps.service.db.repository.findUniqueOrThrow({
          where: { id: source.repositoryId },
        });
        // through the queue's front door: per-branch lock, older queued syncs superseded, uninstalled refused
        const { sync } = await recordSync(deps, {
          repository,
          branch: source.branch,
          trigger: "restore",
          headSha: source.headSha ?? undefined,
          restoredFromSyncId: source.id,
          requestedBy: requester(principal),
        });
        return getSync(deps.service, sync.id);
      },
    }),
    jsonRoute({
      method: "get",
      path: "/syncs/:from/compare/:to",
      operationId: "compareSyncs",
      summary:
        "The changed paths from one successful sync's memory to another's (same repository, any branches), as git diff -M names them, with unified diffs on request",
      params: compareParams,
      query: comparePageQuery,
      status: 200,
      response: syncComparisonSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params, query }, deps, principal) =>
        compareSyncs(deps.service, {
          fromSyncId: await gateFor(deps, principal).requireSync(params.from, "read"),
          toSyncId: await gateFor(deps, principal).requireSync(params.to, "read"),
          pathPrefix: query.path,
          cursor: query.cursor,
          limit: query.limit,
          patches: query.diff === "true",
        }),
    }),
    jsonRoute({
      method: "get",
      path: "/syncs/:syncId/changes",
      operationId: "listSyncChanges",
      summary:
        "What a successful sync changed: its memory against its branch's previous sync (everything added for a first sync)",
      params: syncParams,
      query: comparePageQuery,
      status: 200,
      response: syncComparisonSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params, query }, deps, principal) =>
        compareWithPrevious(deps.service, {
          syncId: await gateFor(deps, principal).requireSync(params.syncId, "read"),
          pathPrefix: query.path,
          cursor: query.cursor,
          limit: query.limit,
          patches: query.diff === "true",
        }),
    }),
    jsonRoute({
      method: "get",
      path: "/repos/:owner/:repo/memory",
      operationId: "readMemory",
      summary: "A page of a branch's memory (default branch when absent), now or as of a past sync",
      params: repositoryParams,
      query: readMemoryQuery,
      status: 200,
      response: memoryPageSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params, query }, deps, principal) => {
        const repository = await repositoryOf(deps, principal, params);
        if (query.branch !== undefined) await requireKnownBranch(deps.service, repository, query.branch);
        return readMemoryPage(deps.service, {
          repository,
          branch: query.branch,
          pathPrefix: query.path,
          limit: query.limit,
          cursor: query.cursor,
          asOfSyncId: query.asOf,
        });
      },
    }),
    jsonRoute({
      method: "get",
      path: "/repos/:owner/:repo/memory/file",
      operationId: "readMemoryFile",
      summary:
        "One file of a branch's memory with its content (null, with the reason in omitted, when not stored)",
      params: repositoryParams,
      query: readMemoryFileQuery,
      status: 200,
      response: memoryFileSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params, query }, deps, principal) => {
        const repository = await repositoryOf(deps, principal, params);
        if (query.branch !== undefined) await requireKnownBranch(deps.service, repository, query.branch);
        return readMemoryFileAt(deps.service, {
          repository,
          branch: query.branch,
          path: query.path,
          asOfSyncId: query.asOf,
        });
      },
    }),
    jsonRoute({
      method: "get",
      path: "/repos/:owner/:repo/search",
      operationId: "searchMemory",
      summary:
        "Lines matching a literal or RE2 regular expression in a branch's memory (now, as of a past sync, or every branch)",
      params: repositoryParams,
      query: searchMemoryQuery,
      status: 200,
      response: searchPageSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params, query }, deps, principal) => {
        const repository = await repositoryOf(deps, principal, params);
        if (query.branch !== undefined) await requireKnownBranch(deps.service, repository, query.branch);
        return searchMemory(deps.service, {
          repository,
          query: query.q,
          regex: query.regex,
          caseSensitive: query.case !== "insensitive",
          branch: query.branch,
          allBranches: query.allBranches,
          asOfSyncId: query.asOf,
          path: query.path,
          limit: query.limit,
          cursor: query.cursor,
        });
      },
    }),
    jsonRoute({
      method: "get",
      path: "/inbox",
      operationId: "getInbox",
      summary: "The webhook inbox: deliveries waiting, in progress and parked, and the oldest one's age",
      description: INBOX_IS_OPERATORS,
      query: noFields,
      status: 200,
      response: inboxSummarySchema,
      errors: [],
      handle: (_input, deps) => readInboxSummary(deps.service.db, deps.service.now()),
    }),
    jsonRoute({
      method: "get",
      path: "/deliveries",
      operationId: "listDeliveries",
      summary: "Stored webhook deliveries, newest first (status=parked: those that kept failing)",
      description: INBOX_IS_OPERATORS,
      query: listDeliveriesQuery,
      status: 200,
      response: deliveryListSchema,
      errors: [],
      handle: ({ query }, deps) => listDeliveries(deps.service.db, query),
    }),
    jsonRoute({
      method: "get",
      path: "/deliveries/:deliveryId",
      operationId: "getDelivery",
      summary: "One stored webhook delivery: state, attempts, last error",
      description: INBOX_IS_OPERATORS,
      params: deliveryParams,
      query: noFields,
      status: 200,
      response: deliverySchema,
      errors: [404],
      handle: ({ params }, deps) => getDelivery(deps.service.db, params.deliveryId),
    }),
    jsonRoute({
      method: "post",
      path: "/deliveries/:deliveryId/retry",
      operationId: "retryDelivery",
      summary: "Process a parked delivery again now (its attempts counted afresh)",
      description: INBOX_IS_OPERATORS,
      params: deliveryParams,
      query: noFields,
      body: noFields,
      status: 202,
      response: deliverySchema,
      errors: [404, 409],
      handle: ({ params }, deps) =>
        retryDelivery(deps.service.db, { id: params.deliveryId, now: deps.service.now() }),
    }),
    ...createWebhookRoutes(),
    ...createTokenRoutes(),
    ...createAdminRoutes(),
    {
      kind: "stream",
      method: "get",
      path: "/events/project-sync/:syncId",
      operationId: "streamSyncEvents",
      summary: "Server-Sent Events of one sync: a snapshot per progress step until its end",
      description:
        "Each event has an id; reconnect with Last-Event-ID to miss nothing. Heartbeat comments keep the stream open; it ends after the terminal status (at once for a finished sync). A person needs read access on the sync's repository, checked as the stream opens.",
      params: syncParams,
      query: syncEventsQuery,
      contentType: "text/event-stream",
      errors: [404],
      forPeople: true,
      handler: (deps) => async (req, res, next) => {
        await gateFor(deps, principalOf(res.locals)).requireSync(String(req.params.syncId), "read");
        return deps.events(req, res, next);
      },
    },
    jsonRoute({
      method: "get",
      path: "/openapi.json",
      operationId: "getOpenApiDocument",
      summary: "This API's OpenAPI 3.1 document",
      query: noFields,
      status: 200,
      response: openApiDocumentSchema,
      errors: [],
      forPeople: true,
      handle: async () => options.openApiDocument(),
    }),
  ];
}
