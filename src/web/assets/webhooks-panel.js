import { apiPath } from "./api.js";
import { h, replace } from "./dom.js";
import { timeAgo } from "./format.js";

// Each endpoint shows its newest deliveries.
const DELIVERIES_SHOWN = 5;

/**
 * Outbound webhooks: each registered endpoint with its state and its newest deliveries (event, status, attempts, the
 * last answer or error), a Redeliver button on each delivery and an Enable button on a disabled endpoint. Nothing at
 * all when no endpoint is registered. Every value is text.
 * @param {import("./sync-controls.js").PageContext} context
 * @returns {Promise<HTMLElement | null>}
 */
export async function webhooksPanel(context) {
  const first = await context.api.get("/webhooks");
  if (first.webhooks.length === 0) return null;
  const section = h("section", { class: "card webhooks-panel" });
  const render = async () => {
    const { webhooks } = await context.api.get("/webhooks");
    const pages = await Promise.all(
      webhooks.map((/** @type {any} */ endpoint) =>
        context.api.get(apiPath(["webhooks", endpoint.id, "deliveries"], { limit: DELIVERIES_SHOWN })),
      ),
    );
    replace(
      section,
      h("h2", {}, "Outbound webhooks"),
      h(
        "ul",
        { class: "webhook-endpoints" },
        webhooks.map((/** @type {any} */ endpoint, /** @type {number} */ index) =>
          endpointItem(context, endpoint, pages[index].deliveries, render),
        ),
      ),
    );
  };
  await render();
  return section;
}

/**
 * @param {import("./sync-controls.js").PageContext} context
 * @param {any} endpoint
 * @param {any[]} deliveries
 * @param {() => Promise<void>} refresh
 */
function endpointItem(context, endpoint, deliveries, refresh) {
  const act = (/** @type {string[]} */ path) => async () => {
    try {
      await context.api.post(apiPath(path), {});
      await refresh();
    } catch (error) {
      context.fail(error);
    }
  };
  const state = !endpoint.enabled ? "disabled" : endpoint.failingSince ? "failing" : "enabled";
  return h(
    "li",
    { class: "webhook-endpoint", dataset: { webhookId: endpoint.id } },
    h(
      "div",
      { class: "webhook-title" },
      h("span", { class: `badge webhook-${state}` }, state),
      " ",
      h("code", { class: "webhook-url" }, endpoint.url),
      ` · ${endpoint.repository ?? "every repository"}`,
    ),
    endpoint.description ? h("div", { class: "webhook-description" }, endpoint.description) : null,
    endpoint.disabledReason ? h("div", { class: "delivery-error" }, endpoint.disabledReason) : null,
    endpoint.enabled
      ? null
      : h(
          "button",
          {
            type: "button",
            class: "button secondary small",
            onclick: act(["webhooks", endpoint.id, "enable"]),
          },
          "Enable",
        ),
    deliveries.length === 0
      ? h("p", { class: "muted" }, "No deliveries yet.")
      : h(
          "ul",
          { class: "webhook-deliveries" },
          deliveries.map((delivery) =>
            deliveryItem(delivery, act(["webhooks", endpoint.id, "deliveries", delivery.id, "redeliver"])),
          ),
        ),
  );
}

/**
 * @param {any} delivery
 * @param {() => Promise<void>} redeliver
 */
function deliveryItem(delivery, redeliver) {
  const last = delivery.attemptLog[0];
  const answer = last
    ? last.statusCode === null
      ? "no answer"
      : `answered ${last.statusCode}`
    : "not sent yet";
  return h(
    "li",
    { class: "webhook-delivery", dataset: { deliveryId: delivery.id, status: delivery.status } },
    h(
      "div",
      {},
      h("code", {}, delivery.type),
      ` · ${delivery.status} · ${delivery.attempts} ${delivery.attempts === 1 ? "attempt" : "attempts"} · ${answer}`,
      ` · ${timeAgo(delivery.lastAttemptAt ?? delivery.createdAt)}`,
    ),
    delivery.status !== "succeeded" && delivery.lastError
      ? h("div", { class: "delivery-error" }, delivery.lastError)
      : null,
    delivery.status === "sending"
      ? null
      : h("button", { type: "button", class: "button secondary small", onclick: redeliver }, "Redeliver"),
  );
}
