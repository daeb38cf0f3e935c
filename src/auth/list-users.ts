import type { AuthDeps } from "./auth-deps.js";
import { MAX_TOKENS_PER_PERSON, type PersonalTokenView } from "./personal-tokens.js";

/** People listed at most (by login); an operator names one with `login` beyond that. */
export const MAX_USERS_LISTED = 200;
/** A person's live sessions shown at most (newest first). */
const MAX_SESSIONS_SHOWN = 50;

export type SessionView = { id: string; createdAt: Date; lastSeenAt: Date; expiresAt: Date };

/** A signed-in person as the operator sees them: who, and the live sessions and personal tokens that let them in. */
export type UserView = {
  login: string;
  githubId: string;
  createdAt: Date;
  sessions: SessionView[];
  tokens: PersonalTokenView[];
};

/**
 * The people who signed in, by login (or the one(s) with `login`, any case), each with their live sessions and
 * personal tokens — never a secret: sessions and tokens are stored as digests only.
 */
export async function listUsers(
  deps: Pick<AuthDeps, "db" | "now">,
  options: { login?: string } = {},
): Promise<UserView[]> {
  const now = deps.now();
  const live = { revokedAt: null, expiresAt: { gt: now } };
  const rows = await deps.db.user.findMany({
    where: options.login === undefined ? {} : { login: { equals: options.login, mode: "insensitive" } },
    orderBy: [{ login: "asc" }, { id: "asc" }],
    take: MAX_USERS_LISTED,
    select: {
      login: true,
      githubId: true,
      createdAt: true,
      sessions: {
        where: live,
        orderBy: { createdAt: "desc" },
        take: MAX_SESSIONS_SHOWN,
        select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true },
      },
      personalTokens: {
        where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        orderBy: { createdAt: "desc" },
        take: MAX_TOKENS_PER_PERSON,
        select: { id: true, name: true, scope: true, createdAt: true, lastUsedAt: true, expiresAt: true },
      },
    },
  });
  return rows.map((row) => ({
    login: row.login,
    githubId: row.githubId.toString(),
    createdAt: row.createdAt,
    sessions: row.sessions,
    tokens: row.personalTokens,
  }));
}
