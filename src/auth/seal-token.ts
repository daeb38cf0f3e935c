import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Encrypts a GitHub user token for storage: AES-256-GCM, `v1.<iv>.<ciphertext>.<tag>` in base64url. */
export function sealToken(token: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return ["v1", iv, sealed, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** The token a sealed value holds, or null if it was sealed under another key or altered. */
export function openSealedToken(sealed: string, key: Buffer): string | null {
  const [version, iv, data, tag] = sealed.split(".");
  if (version !== "v1" || iv === undefined || data === undefined || tag === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return null;
  }
}
