import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Whether `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body under the webhook secret, compared in constant
 * time. GitHub signs the bytes it sent, so the body must not have been parsed and re-serialised.
 */
export function verifyWebhookSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  const match = SIGNATURE.exec(header ?? "");
  if (!match?.[1]) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(match[1], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
