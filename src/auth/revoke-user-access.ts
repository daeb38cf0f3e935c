import { z } from "zod";
import { AppError } from "../errors.js";
import type { AuthDeps } from "./auth-deps.js";

/** What to revoke: every live session and token of a person (by login, any case), or one session, or one token. */
export type RevokeTarget = { login: string } | { sessionId: string } | { tokenId: string };

/** How many sessions and personal tokens were revoked. */
export type RevokedCounts = { sessions: number; tokens: number };

/**
 * Revokes a person's way in, now (the operator's act): their next request with a revoked cookie or token is refused
 * (401). NOT_FOUND when the login names nobody who signed in, or the id no live session or token.
 */
export async function revokeUserAccess(
  deps: Pick<AuthDeps, "db" | "now">,
  target: RevokeTarget,
): Promise<RevokedCounts> {
  const revokedAt = deps.now();
  const live = { revokedAt: null };
  if ("login" in target) {
    const users = await deps.db.user.findMany({
      where: { login: { equals: target.login, mode: "insensitive" } },
      select: { id: true },
    });
    if (users.length === 0)
      throw new AppError("NOT_FOUND", `Nobody with the login ${target.login} has signed in.`);
    const userId = { in: users.map((user) => user.id) };
    const [sessions, tokens] = await deps.db.$transaction([
      deps.db.session.updateMany({ where: { userId, ...live }, data: { revokedAt } }),
      deps.db.personalToken.updateMany({ where: { userId, ...live }, data: { revokedAt } }),
    ]);
    return { sessions: sessions.count, tokens: tokens.count };
  }
  if ("sessionId" in target) {
    const id = z.uuid().safeParse(target.sessionId);
    const { count } = id.success
      ? await deps.db.session.updateMany({ where: { id: id.data, ...live }, data: { revokedAt } })
      : { count: 0 };
    if (count === 0) throw new AppError("NOT_FOUND", `No live session ${target.sessionId}.`);
    return { sessions: count, tokens: 0 };
  }
  const id = z.uuid().safeParse(target.tokenId);
  const { count } = id.success
    ? await deps.db.personalToken.updateMany({ where: { id: id.data, ...live }, data: { revokedAt } })
    : { count: 0 };
  if (count === 0) throw new AppError("NOT_FOUND", `No live personal token ${target.tokenId}.`);
  return { sessions: 0, tokens: count };
}
