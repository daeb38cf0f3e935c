import { createHash, randomBytes } from "node:crypto";

/** The stored form of a session secret, CSRF token or personal token: SHA-256, hex. The secrets are random (≥ 32 bytes), so no salt or slow hash is needed. */
export function secretDigest(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** A new random secret: 32 bytes, base64url, after `prefix`. */
export function newSecret(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}
