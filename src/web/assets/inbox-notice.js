import { apiPath } from "./api.js";
import { confirmAction } from "./confirm-dialog.js";
import { h, replace } from "./dom.js";
import { timeAgo } from "./format.js";

// Deliveries waiting longer than this are worth a word: the app normally processes them within a second.
const BACKLOG_NOTICE_SECONDS = 60;

/**
 * The webhook inbox when it needs attention: deliveries that kept failing (parked), each with its error and a Retry
 * button, and a backlog that is not draining. Nothing at all when the inbox is healthy.
 * @param {import("./sync-controls.js").PageContext} context
 * @returns {Promise<HTMLElement | null>}
 */
export async function inboxNotice(context) {
  const inbox = await context.api.get("/inbox");
  const waiting = inbox.pending + inbox.processing;
  const backlog = waiting > 0 && inbox.oldestPendingSeconds >= BACKLOG_NOTICE_SECONDS;
  if (inbox.parked === 0 && !backlog) return null;
  const section = h("section", { class: "card inbox-notice", "aria-live": "polite" });
  const render = async () => {
    const current = await context.api.get("/inbox");
    const parked =
      current.parked > 0
        ? await context.api.get(apiPath(["deliveries"], { status: "parked", limit: 20 }))
        : null;
    replace(
      section,
      h("h2", {}, "Webhook inbox"),
      backlogLine(current),
      parked
        ? [
            h(
              "p",
              {},
              `${current.parked} ${current.parked === 1 ? "delivery" : "deliveries"} from GitHub kept failing and ${current.parked === 1 ? "is" : "are"} parked. `,
              "Fix the cause (the error says what), then retry.",
            ),
            h(
              "ul",
              { class: "parked-deliveries" },
              parked.deliveries.map((/** @type {any} */ delivery) => parkedItem(context, delivery, render)),
            ),
          ]
        : null,
    );
  };
  await render();
  return section;
}

/** @param {any} inbox */
function backlogLine(inbox) {
  const waiting = inbox.pending + inbox.processing;
  if (waiting === 0) return null;
  return h(
    "p",
    {},
    `${waiting} ${waiting === 1 ? "delivery is" : "deliveries are"} waiting to be processed; the oldest for ${Math.round(inbox.oldestPendingSeconds)} s.`,
  );
}

/**
 * @param {import("./sync-controls.js").PageContext} context
 * @param {any} delivery
 * @param {() => Promise<void>} refresh
 */
function parkedItem(context, delivery, refresh) {
  const retry = async () => {
    const ok = await confirmAction({
      title: "Retry delivery",
      message: [
        "Process the ",
        h("code", {}, delivery.event),
        " delivery ",
        h("code", {}, delivery.id),
        " again now?",
      ],
      confirmLabel: "Retry",
    });
    if (!ok) return;
    try {
      await context.api.post(apiPath(["deliveries", delivery.id, "retry"]), {});
      await refresh();
    } catch (error) {
      context.fail(error);
    }
  };
  return h(
    "li",
    { class: "parked-delivery", dataset: { deliveryId: delivery.id } },
    h(
      "div",
      { class: "delivery-title" },
      h("code", {}, delivery.action ? `${delivery.event}.${delivery.action}` : delivery.event),
      ` · ${delivery.attempts} attempts · received ${timeAgo(delivery.receivedAt)}`,
    ),
    delivery.error
      ? h("div", { class: "delivery-error" }, `${delivery.error.code}: ${delivery.error.message}`)
      : null,
    h("div", { class: "delivery-id" }, delivery.id),
    h("button", { type: "button", class: "button secondary small", onclick: retry }, "Retry"),
  );
}
