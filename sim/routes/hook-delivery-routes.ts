import { setImmediate } from "node:timers/promises";
import { HttpError, json, notFound, unprocessable } from "../reply.js";
import type { RouteHandler } from "../router.js";
import type { SimulatorState } from "../simulator-state.js";
import { deliverWebhook } from "../webhooks/deliver-webhook.js";
import { trackDelivery } from "../webhooks/deliveries-in-flight.js";
import { type HookDelivery, simpleHookDelivery } from "../webhooks/hook-delivery.js";

// GitHub: "You can only redeliver webhook deliveries that were made in the past 3 days."
const REDELIVERY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
// Opaque to clients, who follow the Link header; here: the page holds deliveries with an id below the number.
const CURSOR = /^v1_(\d+)$/;

/**
 * `GET /app/hook/deliveries` (JWT): the delivery log, newest first; `per_page` (default 30, max 100), `status`
 * (`success` = status_code 200–399, `failure` = 400–599, so a delivery that got no answer is in neither) and a
 * `cursor` from the `Link: <…>; rel="next"` header of the page before.
 */
export const listHookDeliveries: RouteHandler = ({ sim, query }) => {
  const perPage = Math.min(Math.max(Number(query.get("per_page") ?? 30) || 30, 1), 100);
  const status = query.get("status");
  if (status !== null && status !== "success" && status !== "failure") {
    throw unprocessable("Validation Failed", [
      { resource: "HookDelivery", field: "status", code: "invalid", value: status },
    ]);
  }
  const cursor = query.get("cursor") || null;
  const below = cursor === null ? Number.POSITIVE_INFINITY : Number(CURSOR.exec(cursor)?.[1] ?? Number.NaN);
  if (Number.isNaN(below)) throw new HttpError(400, "Bad Request");

  const matching = sim.deliveries
    .filter((delivery) => delivery.id < below && hasStatus(delivery, status))
    .reverse();
  const page = matching.slice(0, perPage);
  const last = page.at(-1);
  const link =
    matching.length > perPage && last
      ? `<${sim.apiUrl}/app/hook/deliveries?${new URLSearchParams({
          per_page: String(perPage),
          ...(status ? { status } : {}),
          cursor: `v1_${last.id}`,
        })}>; rel="next"`
      : undefined;
  return json(page.map(simpleHookDelivery), 200, link ? { link } : undefined);
};

/** `GET /app/hook/deliveries/{delivery_id}` (JWT): one delivery with its request and response; 404 if unknown. */
export const getHookDelivery: RouteHandler = ({ sim, params }) =>
  json(requireDelivery(sim, params.delivery_id));

/**
 * `POST /app/hook/deliveries/{delivery_id}/attempts` (JWT): 202 `{}`, then delivers the same event and payload again
 * with the same GUID, signed with the current secret, to the current target, logged as a new delivery with
 * `redelivery: true`. 422 for a delivery older than 3 days, 404 for an unknown one.
 */
export const redeliverHookDelivery: RouteHandler = ({ sim, params }) => {
  const original = requireDelivery(sim, params.delivery_id);
  if (sim.now() - Date.parse(original.delivered_at) > REDELIVERY_WINDOW_MS) {
    throw unprocessable("Validation Failed", [
      {
        resource: "HookDelivery",
        field: "delivered_at",
        code: "custom",
        message: "Deliveries older than 3 days cannot be redelivered.",
      },
    ]);
  }
  // Tracked now, sent once the 202 is on its way: GitHub redelivers asynchronously.
  trackDelivery(
    sim,
    setImmediate().then(() =>
      deliverWebhook(sim, {
        event: original.event,
        payload: original.request.payload,
        guid: original.guid,
        redelivery: true,
      }),
    ),
  );
  return json({}, 202);
};

function requireDelivery(sim: SimulatorState, id: string | undefined): HookDelivery {
  const delivery = sim.deliveries.find((item) => String(item.id) === id);
  if (!delivery) throw notFound();
  return delivery;
}

function hasStatus(delivery: HookDelivery, status: string | null): boolean {
  if (status === "success") return delivery.status_code >= 200 && delivery.status_code <= 399;
  if (status === "failure") return delivery.status_code >= 400 && delivery.status_code <= 599;
  return true;
}
