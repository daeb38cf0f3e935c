import { randomUUID } from "node:crypto";
import type { SimulatorState } from "../simulator-state.js";
import { trackDelivery } from "./deliveries-in-flight.js";
import type { HookDelivery } from "./hook-delivery.js";
import { sendWebhook } from "./send-webhook.js";

/** What push and deliver return: the attempt's outcome as the sender sees it. */
export type WebhookDelivery = {
  /** X-GitHub-Delivery (the GUID) */
  id: string;
  /** the delivery log's id (`GET /app/hook/deliveries/{delivery_id}`) */
  deliveryId: number;
  event: string;
  /** the app's HTTP status; 0 when it could not be reached or did not answer in time */
  status: number;
  /** the app's response body ("" without an answer) */
  body: string;
  /** from the request's start to the end of the answer (what GitHub logs as the delivery's duration, unrounded) */
  durationMs: number;
};

export type DeliverWebhookOptions = {
  event: string;
  payload: unknown;
  /** repeats an earlier delivery's GUID; default a new one */
  guid?: string;
  redelivery?: boolean;
};

/**
 * Sends a signed webhook to the current target and logs the attempt like GitHub's delivery log (success or not);
 * a target that is down or slow is a logged failure, not an exception.
 */
export function deliverWebhook(
  sim: SimulatorState,
  options: DeliverWebhookOptions,
): Promise<WebhookDelivery> {
  const target = sim.webhookTarget;
  if (!target)
    return Promise.reject(new Error("No webhook target: call setWebhookTarget({ url, secret }) first."));
  const { event, payload, guid = randomUUID(), redelivery = false } = options;
  const body = JSON.stringify(payload) ?? "null";
  const deliveredAt = sim.now();
  return trackDelivery(
    sim,
    sendWebhook({ target, event, guid, body, timeoutMs: sim.webhookTimeoutMs }).then((attempt) => {
      // The id is taken when the attempt ends, so the log (appended here) stays in id order.
      const id = sim.nextId.delivery++;
      const fields = payloadFields(payload);
      const delivery: HookDelivery = {
        id,
        guid,
        delivered_at: new Date(deliveredAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        redelivery,
        duration: Math.round(attempt.durationMs) / 1000,
        status: attempt.status,
        status_code: attempt.statusCode,
        event,
        action: fields.action,
        installation_id: fields.installationId,
        repository_id: fields.repositoryId,
        throttled_at: null,
        url: target.url,
        // A copy of what was sent: a caller changing its payload object later must not change the log.
        request: { headers: attempt.requestHeaders, payload: JSON.parse(body) },
        response: { headers: attempt.responseHeaders, payload: attempt.responseBody },
      };
      sim.deliveries.push(delivery);
      return {
        id: guid,
        deliveryId: id,
        event,
        status: attempt.statusCode,
        body: attempt.responseBody ?? "",
        durationMs: attempt.durationMs,
      };
    }),
  );
}

function payloadFields(payload: unknown) {
  const object = (payload ?? {}) as {
    action?: unknown;
    installation?: { id?: unknown } | null;
    repository?: { id?: unknown } | null;
  };
  const integer = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? value : null);
  return {
    action: typeof object.action === "string" ? object.action : null,
    installationId: integer(object.installation?.id),
    repositoryId: integer(object.repository?.id),
  };
}
