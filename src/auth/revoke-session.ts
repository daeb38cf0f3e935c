import type { AuthDeps } from "./auth-deps.js";

/** Ends a session now (sign-out, or an operator revoking it): its cookie is refused from then on. */
export async function revokeSession(deps: AuthDeps, sessionId: string): Promise<void> {
  await deps.db.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: deps.now() },
  });
}
