import { createHmac, timingSafeEqual } from "node:crypto";

/** The session cookie's name; `__Host-` behind HTTPS, so only this origin, path / and Secure can set it. */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-project-sync-session" : "project-sync-session";
}

/** The cookie's value: the session secret and its HMAC-SHA256 under the cookie key. */
export function signCookieValue(secret: string, key: Buffer): string {
  return `${secret}.${mac(secret, key)}`;
}

/** The session secret of a cookie value, or null when its signature is not ours (forged or from another key). */
export function verifyCookieValue(value: string, key: Buffer): string | null {
  const dot = value.lastIndexOf(".");
  if (dot <= 0 || value.length > 200) return null;
  const secret = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), "utf8");
  const expected = Buffer.from(mac(secret, key), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected) ? secret : null;
}

/** The `Set-Cookie` header for a session (maxAgeSeconds 0 clears it): HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function sessionCookieHeader(
  value: string,
  options: { secure: boolean; maxAgeSeconds: number },
): string {
  const parts = [
    `${sessionCookieName(options.secure)}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${options.maxAgeSeconds}`,
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/** The value of one cookie in a `Cookie` header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  for (const pair of (header ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return null;
}

function mac(secret: string, key: Buffer): string {
  return createHmac("sha256", key).update(secret, "utf8").digest("base64url");
}
