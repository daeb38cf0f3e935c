import type { AuthDeps } from "./auth-deps.js";
import { SESSION_DAYS } from "./auth-deps.js";
import { newSecret, secretDigest } from "./secret-digest.js";
import { signCookieValue } from "./session-cookie.js";

export type NewSession = { sessionId: string; cookieValue: string; csrfToken: string; expiresAt: Date };

/** Starts a session for a signed-in person: a random secret in a signed cookie, and a CSRF token for the page. */
export async function createSession(deps: AuthDeps, userId: string): Promise<NewSession> {
  const secret = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(deps.now().getTime() + SESSION_DAYS * 24 * 60 * 60 * 1000);
  const session = await deps.db.session.create({
    data: { userId, secretHash: secretDigest(secret), csrfHash: secretDigest(csrfToken), expiresAt },
    select: { id: true },
  });
  return {
    sessionId: session.id,
    cookieValue: signCookieValue(secret, deps.keys.cookie),
    csrfToken,
    expiresAt,
  };
}
