import { z } from "zod";
import { AppError } from "../errors.js";
import type { AuthDeps } from "./auth-deps.js";
import { newSecret, secretDigest } from "./secret-digest.js";

/** Personal tokens start with this, so they are told apart from API_TOKEN and from GitHub's tokens (and found by secret scanners). */
export const PERSONAL_TOKEN_PREFIX = "pst_";
/** A person may hold this many live tokens. */
export const MAX_TOKENS_PER_PERSON = 50;

export const personalTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(["read", "write"]),
  /** days until it expires, 1–366; omitted: it never expires */
  expiresInDays: z.number().int().min(1).max(366).optional(),
});
export type PersonalTokenInput = z.infer<typeof personalTokenInput>;

export type PersonalTokenView = {
  id: string;
  name: string;
  scope: "read" | "write";
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
};

/** Creates a token for a person; the token itself is returned this once, and only its digest is kept. */
export async function createPersonalToken(
  deps: AuthDeps,
  userId: string,
  input: PersonalTokenInput,
): Promise<{ token: string; view: PersonalTokenView }> {
  const { name, scope, expiresInDays } = personalTokenInput.parse(input);
  const now = deps.now();
  const live = await deps.db.personalToken.count({ where: { userId, ...liveFilter(now) } });
  if (live >= MAX_TOKENS_PER_PERSON) {
    throw new AppError("CONFLICT", `You already have ${live} tokens; revoke one before creating another.`);
  }
  const token = newSecret(PERSONAL_TOKEN_PREFIX);
  const expiresAt = expiresInDays ? new Date(now.getTime() + expiresInDays * 24 * 60 * 60 * 1000) : null;
  const row = await deps.db.personalToken.create({
    data: { userId, name, scope, tokenHash: secretDigest(token), expiresAt },
    select: VIEW,
  });
  return { token, view: row };
}

/** A person's live tokens, newest first (never the tokens themselves). */
export async function listPersonalTokens(deps: AuthDeps, userId: string): Promise<PersonalTokenView[]> {
  return deps.db.personalToken.findMany({
    where: { userId, ...liveFilter(deps.now()) },
    orderBy: { createdAt: "desc" },
    take: MAX_TOKENS_PER_PERSON,
    select: VIEW,
  });
}

/** Revokes one of a person's tokens (another person's token is NOT_FOUND, as if it did not exist). */
export async function revokePersonalToken(deps: AuthDeps, userId: string, tokenId: string): Promise<void> {
  const id = z.uuid().safeParse(tokenId);
  const done = id.success
    ? await deps.db.personalToken.updateMany({
        where: { id: id.data, userId, revokedAt: null },
        data: { revokedAt: deps.now() },
      })
    : { count: 0 };
  if (done.count === 0) throw new AppError("NOT_FOUND", "You have no live token with that id.");
}

/** The person and scope a presented personal token carries: known, not revoked, not expired; else null. */
export async function resolvePersonalToken(
  deps: AuthDeps,
  token: string,
): Promise<{ userId: string; login: string; scope: "read" | "write" } | null> {
  if (!token.startsWith(PERSONAL_TOKEN_PREFIX) || token.length > 200) return null;
  const now = deps.now();
  const row = await deps.db.personalToken.findUnique({
    where: { tokenHash: secretDigest(token) },
    select: {
      id: true,
      userId: true,
      scope: true,
      revokedAt: true,
      expiresAt: true,
      user: { select: { login: true } },
    },
  });
  if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) return null;
  await deps.db.personalToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return { userId: row.userId, login: row.user.login, scope: row.scope };
}

const VIEW = {
  id: true,
  name: true,
  scope: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
} as const;

function liveFilter(now: Date) {
  return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}
