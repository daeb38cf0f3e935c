import type { Principal } from "../auth/principal.js";
import { AppError } from "../errors.js";
import { enableWebhook } from "../service/enable-webhook.js";
import { findWebhook, findWebhookScope } from "../service/find-webhook.js";
import { listWebhookDeliveries } from "../service/list-webhook-deliveries.js";
import { listWebhooks } from "../service/list-webhooks.js";
import { redeliverWebhook } from "../service/redeliver-webhook.js";
import { registerWebhook } from "../service/register-webhook.js";
import { removeWebhook } from "../service/remove-webhook.js";
import type { ApiDeps } from "./api-deps.js";
import { noFields } from "./api-input-schemas.js";
import { type ApiRoute, jsonRoute } from "./api-route.js";
import { gateFor } from "./person-access.js";
import {
  createdWebhookSchema,
  listWebhookDeliveriesQuery,
  registerWebhookBody,
  webhookDeliveryListSchema,
  webhookDeliveryParams,
  webhookDeliverySchema,
  webhookListSchema,
  webhookParams,
  webhookSchema,
} from "./webhook-api-schemas.js";

const PEOPLE =
  "A person manages the endpoints of repositories they administer on GitHub (checked at each change); endpoints of every repository are the operator's.";

/**
 * The outbound webhooks' routes (endpoints, their deliveries and attempts), mounted with the rest of /api/v1. People
 * see and manage only the endpoints of repositories they administer; an endpoint of every repository, or of one they
 * cannot administer, is NOT_FOUND to them when they cannot read the repository (as if it did not exist).
 */
export function createWebhookRoutes(): ApiRoute[] {
  return [...endpointRoutes(), ...deliveryRoutes()];
}

function endpointRoutes(): ApiRoute[] {
  return [
    registerRoute(),
    jsonRoute({
      method: "get",
      path: "/webhooks",
      operationId: "listWebhooks",
      summary: "Registered webhook endpoints, oldest first (never their secrets)",
      query: noFields,
      status: 200,
      response: webhookListSchema,
      errors: [],
      description: PEOPLE,
      forPeople: true,
      handle: async (_input, deps, principal) =>
        listWebhooks(deps.service, { repositoryGithubIds: await gateFor(deps, principal).adminIds() }),
    }),
    jsonRoute({
      method: "get",
      path: "/webhooks/:webhookId",
      operationId: "getWebhook",
      summary: "One webhook endpoint",
      params: webhookParams,
      query: noFields,
      status: 200,
      response: webhookSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params }, deps, principal) => {
        await requireEndpointAdmin(deps, principal, params.webhookId, { action: false });
        return findWebhook(deps.service, params.webhookId);
      },
    }),
    jsonRoute({
      method: "delete",
      path: "/webhooks/:webhookId",
      operationId: "removeWebhook",
      summary: "Remove an endpoint with its deliveries; answers the endpoint removed",
      params: webhookParams,
      query: noFields,
      status: 200,
      response: webhookSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params }, deps, principal) => {
        await requireEndpointAdmin(deps, principal, params.webhookId, { action: true });
        return removeWebhook(deps.service, params.webhookId);
      },
    }),
    jsonRoute({
      method: "post",
      path: "/webhooks/:webhookId/enable",
      operationId: "enableWebhook",
      summary: "Enable an endpoint again after it was disabled for failing 5 days; what waited is sent",
      params: webhookParams,
      query: noFields,
      body: noFields,
      status: 200,
      response: webhookSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params }, deps, principal) => {
        await requireEndpointAdmin(deps, principal, params.webhookId, { action: true });
        return enableWebhook(deps.service, params.webhookId);
      },
    }),
  ];
}

/** POST /webhooks: people register for a repository they administer only. */
function registerRoute(): ApiRoute {
  return jsonRoute({
    method: "post",
    path: "/webhooks",
    operationId: "registerWebhook",
    summary: "Register an endpoint for the change feed (its secret is in this answer only)",
    query: noFields,
    body: registerWebhookBody,
    status: 201,
    response: createdWebhookSchema,
    errors: [404, 409],
    description: PEOPLE,
    forPeople: true,
    handle: async ({ body }, deps, principal) => {
      if (principal.kind === "person") {
        if (body.repository === undefined) {
          throw new AppError(
            "FORBIDDEN",
            "An endpoint for every repository is the operator's; name a repository you administer.",
          );
        }
        const gate = gateFor(deps, principal);
        await gate.require(await gate.repository(body.repository), "admin");
      }
      return registerWebhook(deps.service, {
        ...body,
        allowPrivateTargets: deps.webhooks?.allowPrivateTargets ?? false,
      });
    },
  });
}

function deliveryRoutes(): ApiRoute[] {
  return [
    jsonRoute({
      method: "get",
      path: "/webhooks/:webhookId/deliveries",
      operationId: "listWebhookDeliveries",
      summary:
        "An endpoint's deliveries, newest first, each with its attempts (status, duration, error, answer)",
      params: webhookParams,
      query: listWebhookDeliveriesQuery,
      status: 200,
      response: webhookDeliveryListSchema,
      errors: [404],
      forPeople: true,
      handle: async ({ params, query }, deps, principal) => {
        await requireEndpointAdmin(deps, principal, params.webhookId, { action: false });
        return listWebhookDeliveries(deps.service, params.webhookId, query);
      },
    }),
    jsonRoute({
      method: "post",
      path: "/webhooks/:webhookId/deliveries/:deliveryId/redeliver",
      operationId: "redeliverWebhook",
      summary: "Send a delivery again now, same webhook-id and body, its retry schedule started afresh",
      params: webhookDeliveryParams,
      query: noFields,
      body: noFields,
      status: 202,
      response: webhookDeliverySchema,
      errors: [404, 409],
      forPeople: true,
      handle: async ({ params }, deps, principal) => {
        await requireEndpointAdmin(deps, principal, params.webhookId, { action: true });
        return redeliverWebhook(deps.service, {
          endpointId: params.webhookId,
          deliveryId: params.deliveryId,
        });
      },
    }),
  ];
}

/**
 * Throws unless the principal may manage the endpoint: the operator always; a person when they administer its
 * repository (asked of GitHub at the moment of an `action`, from the cached list for a read). An endpoint of every
 * repository, or of a repository they cannot read, is NOT_FOUND to them, with the words of one that does not exist.
 */
async function requireEndpointAdmin(
  deps: ApiDeps,
  principal: Principal,
  webhookId: string,
  options: { action: boolean },
): Promise<void> {
  if (principal.kind !== "person") return;
  const { repository } = await findWebhookScope(deps.service, webhookId);
  const hidden = new AppError("NOT_FOUND", `No webhook endpoint ${webhookId} is registered.`);
  if (!repository) throw hidden;
  await gateFor(deps, principal)
    .require(repository, "admin", options)
    .catch((error: unknown) => {
      throw error instanceof AppError && error.code === "REPOSITORY_NOT_FOUND" ? hidden : error;
    });
}
