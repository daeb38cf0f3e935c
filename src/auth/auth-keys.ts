import { hkdfSync } from "node:crypto";

/** The keys sign-in derives from SESSION_SECRET: one signs session cookies, one seals the stored GitHub user tokens. */
export type AuthKeys = { cookie: Buffer; seal: Buffer };

/** Derives independent keys (HKDF-SHA256) so a leak of one use does not give the other. */
export function deriveAuthKeys(sessionSecret: string): AuthKeys {
  if (sessionSecret.length < 32) throw new Error("SESSION_SECRET must be at least 32 characters.");
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", sessionSecret, "project-sync", info, 32));
  return { cookie: derive("session-cookie"), seal: derive("github-token-seal") };
}
