import { randomBytes } from "node:crypto";

/** A new endpoint secret in the Standard Webhooks format: `whsec_` and the base64 of 32 random bytes. */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
