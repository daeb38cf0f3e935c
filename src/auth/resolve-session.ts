import { timingSafeEqual } from "node:crypto";
import type { AuthDeps } from "./auth-deps.js";
import { secretDigest } from "./secret-digest.js";
import { verifyCookieValue } from "./session-cookie.js";

export type ResolvedSession = { sessionId: string; userId: string; login: string; csrfHash: string };

/** The live session a cookie value names: signed with our key, known, not expired, not revoked; else null. */
export async function resolveSession(deps: AuthDeps, cookieValue: string): Promise<ResolvedSession | null> {
  const secret = verifyCookieValue(cookieValue, deps.keys.cookie);
  if (secret === null) return null;
  const now = deps.now();
  const session = await deps.db.session.findUnique({
    where: { secretHash: secretDigest(secret) },
    select: {
      id: true,
      userId: true,
      csrfHash: true,
      expiresAt: true,
      revokedAt: true,
      user: { select: { login: true } },
    },
  });
  if (!session || session.revokedAt !== null || session.expiresAt <= now) return null;
  await deps.db.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  return {
    sessionId: session.id,
    userId: session.userId,
    login: session.user.login,
    csrfHash: session.csrfHash,
  };
}

/** Whether a request's `X-CSRF-Token` is its session's token (constant time). */
export function isSessionCsrfToken(session: ResolvedSession, token: string | undefined): boolean {
  if (token === undefined || token.length > 200) return false;
  return timingSafeEqual(Buffer.from(secretDigest(token)), Buffer.from(session.csrfHash));
}
