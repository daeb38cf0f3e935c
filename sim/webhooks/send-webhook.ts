import { createHmac, randomUUID } from "node:crypto";

export type WebhookTarget = { url: string; secret: string };

export type WebhookDelivery = {
  /** X-GitHub-Delivery */
  id: string;
  event: string;
  /** the app's HTTP status */
  status: number;
  /** the app's response body */
  body: string;
};

/**
 * POSTs a webhook the way GitHub does: JSON body, `X-GitHub-Event`, `X-GitHub-Delivery` (a new GUID unless a
 * redelivery passes the old one) and `X-Hub-Signature-256` (HMAC-SHA256 of the body with the webhook secret).
 */
export async function sendWebhook(
  target: WebhookTarget,
  event: string,
  payload: unknown,
  options: { id?: string } = {},
): Promise<WebhookDelivery> {
  const id = options.id ?? randomUUID();
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`;
  const response = await fetch(target.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/simulator",
      "x-github-event": event,
      "x-github-delivery": id,
      "x-hub-signature-256": signature,
    },
    body,
  });
  return { id, event, status: response.status, body: await response.text() };
}
