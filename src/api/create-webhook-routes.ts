import { enableWebhook } from "../service/enable-webhook.js";
import { findWebhook } from "../service/find-webhook.js";
import { listWebhookDeliveries } from "../service/list-webhook-deliveries.js";
import { listWebhooks } from "../service/list-webhooks.js";
import { redeliverWebhook } from "../service/redeliver-webhook.js";
import { registerWebhook } from "../service/register-webhook.js";
import { removeWebhook } from "../service/remove-webhook.js";
import { noFields } from "./api-input-schemas.js";
import { type ApiRoute, jsonRoute } from "./api-route.js";
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

/** The outbound webhooks' routes (endpoints, their deliveries and attempts), mounted with the rest of /api/v1. */
export function createWebhookRoutes(): ApiRoute[] {
  return [...endpointRoutes(), ...deliveryRoutes()];
}

function endpointRoutes(): ApiRoute[] {
  return [
    jsonRoute({
      method: "post",
      path: "/webhooks",
      operationId: "registerWebhook",
      summary: "Register an endpoint for the change feed (its secret is in this answer only)",
      query: noFields,
      body: registerWebhookBody,
      status: 201,
      response: createdWebhookSchema,
      errors: [404, 409],
      handle: ({ body }, deps) =>
        registerWebhook(deps.service, {
          ...body,
          allowPrivateTargets: deps.webhooks?.allowPrivateTargets ?? false,
        }),
    }),
    jsonRoute({
      method: "get",
      path: "/webhooks",
      operationId: "listWebhooks",
      summary: "Registered webhook endpoints, oldest first (never their secrets)",
      query: noFields,
      status: 200,
      response: webhookListSchema,
      errors: [],
      handle: (_input, deps) => listWebhooks(deps.service),
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
      handle: ({ params }, deps) => findWebhook(deps.service, params.webhookId),
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
      handle: ({ params }, deps) => removeWebhook(deps.service, params.webhookId),
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
      handle: ({ params }, deps) => enableWebhook(deps.service, params.webhookId),
    }),
  ];
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
      handle: ({ params, query }, deps) => listWebhookDeliveries(deps.service, params.webhookId, query),
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
      handle: ({ params }, deps) =>
        redeliverWebhook(deps.service, { endpointId: params.webhookId, deliveryId: params.deliveryId }),
    }),
  ];
}
