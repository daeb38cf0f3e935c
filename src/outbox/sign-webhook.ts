import { Webhook } from "standardwebhooks";

/** The Standard Webhooks headers of one message: its id, when it was sent, and the HMAC-SHA256 signature. */
export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
  "content-type": "application/json";
  "user-agent": string;
};

/**
 * Signs a body per the Standard Webhooks specification (HMAC-SHA256 of `id.timestamp.body` with the endpoint's
 * secret), so a receiver verifies it with any Standard Webhooks library. The id stays the same on every attempt, so
 * receivers can drop repeats.
 * @example signWebhook({ secret, messageId: "msg_…", at: new Date(), body })["webhook-signature"] // "v1,…"
 */
export function signWebhook(options: {
  secret: string;
  messageId: string;
  at: Date;
  body: string;
}): SignedHeaders {
  const signature = new Webhook(options.secret).sign(options.messageId, options.at, options.body);
  return {
    "webhook-id": options.messageId,
    "webhook-timestamp": String(Math.floor(options.at.getTime() / 1000)),
    "webhook-signature": signature,
    "content-type": "application/json",
    "user-agent": "project-sync-webhooks",
  };
}
