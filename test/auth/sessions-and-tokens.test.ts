import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import { deriveAuthKeys } from "../../src/auth/auth-keys.js";
import { createSession } from "../../src/auth/create-session.js";
import {
  createPersonalToken,
  listPersonalTokens,
  revokePersonalToken,
} from "../../src/auth/personal-tokens.js";
import { resolvePrincipal } from "../../src/auth/resolve-principal.js";
import { revokeSession } from "../../src/auth/revoke-session.js";
import { openSealedToken, sealToken } from "../../src/auth/seal-token.js";
import { secretDigest } from "../../src/auth/secret-digest.js";
import { sessionCookieHeader, signCookieValue } from "../../src/auth/session-cookie.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const API_TOKEN = "operator-token-0123456789abcdef";
const COOKIE = "project-sync-session";

describe("sessions, personal tokens and who a request acts for", () => {
  let database: TestDatabase;
  let deps: AuthDeps;
  let clock = new Date("2026-12-06T10:00:00Z");
  let mona: string;
  let hubot: string;
  const options = () => ({ apiToken: API_TOKEN, auth: deps, secureCookie: false });
  const withCookie = (value: string, method = "GET", csrf?: string) => ({
    method,
    headers: { cookie: `other=1; ${COOKIE}=${value}`, ...(csrf ? { "x-csrf-token": csrf } : {}) },
  });
  const withBearer = (token: string, method = "GET") => ({
    method,
    headers: { authorization: `Bearer ${token}` },
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, now: () => clock, keys: deriveAuthKeys("s".repeat(40)) };
    mona = (await database.db.user.create({ data: { githubId: 1n, login: "mona" } })).id;
    hubot = (await database.db.user.create({ data: { githubId: 2n, login: "hubot" } })).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("knows a session by its signed cookie and refuses a forged, re-keyed, expired or revoked one", async () => {
    const session = await createSession(deps, mona);
    expect(await resolvePrincipal(options(), withCookie(session.cookieValue))).toEqual({
      kind: "person",
      userId: mona,
      login: "mona",
      via: "session",
      scope: "write",
      sessionId: session.sessionId,
    });
    const stored = await database.db.session.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(session.cookieValue).not.toContain(stored.secretHash);

    const secret = session.cookieValue.slice(0, session.cookieValue.lastIndexOf("."));
    const forged = `${secret}.${"A".repeat(43)}`;
    const otherKey = signCookieValue(secret, deriveAuthKeys("t".repeat(40)).cookie);
    const guessed = signCookieValue("a-guessed-secret", deps.keys.cookie);
    for (const value of [forged, otherKey, guessed, "garbage", ""]) {
      await expect(resolvePrincipal(options(), withCookie(value))).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }

    clock = new Date(session.expiresAt.getTime() + 1);
    await expect(resolvePrincipal(options(), withCookie(session.cookieValue))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    clock = new Date("2026-12-06T10:00:00Z");

    const second = await createSession(deps, mona);
    await revokeSession(deps, second.sessionId);
    await expect(resolvePrincipal(options(), withCookie(second.cookieValue))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("asks a cookie-authenticated action for the session's CSRF token, and only that one", async () => {
    const session = await createSession(deps, mona);
    const other = await createSession(deps, hubot);
    await expect(resolvePrincipal(options(), withCookie(session.cookieValue, "POST"))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      resolvePrincipal(options(), withCookie(session.cookieValue, "DELETE", other.csrfToken)),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(
      await resolvePrincipal(options(), withCookie(session.cookieValue, "POST", session.csrfToken)),
    ).toMatchObject({
      login: "mona",
    });
  });

  it("tells API_TOKEN, personal tokens and unknown bearers apart; no credentials is nobody", async () => {
    expect(await resolvePrincipal(options(), withBearer(API_TOKEN))).toEqual({ kind: "operator" });
    expect(await resolvePrincipal(options(), { method: "GET", headers: {} })).toBeNull();
    await expect(resolvePrincipal(options(), withBearer("not-the-token"))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(
      resolvePrincipal({ ...options(), apiToken: undefined }, withBearer(API_TOKEN)),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("keeps only a personal token's digest, carries its person and scope, and refuses it once revoked or expired", async () => {
    const read = await createPersonalToken(deps, hubot, { name: "ci", scope: "read" });
    const brief = await createPersonalToken(deps, hubot, { name: "brief", scope: "write", expiresInDays: 1 });
    expect(read.token).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);
    const row = await database.db.personalToken.findUniqueOrThrow({ where: { id: read.view.id } });
    expect(row.tokenHash).toBe(secretDigest(read.token));
    expect(JSON.stringify(row)).not.toContain(read.token);

    expect(await resolvePrincipal(options(), withBearer(read.token, "POST"))).toEqual({
      kind: "person",
      userId: hubot,
      login: "hubot",
      via: "token",
      scope: "read",
    });
    expect((await listPersonalTokens(deps, hubot)).map((token) => token.name)).toEqual(["brief", "ci"]);
    await expect(revokePersonalToken(deps, mona, read.view.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revokePersonalToken(deps, hubot, "not-a-uuid")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await revokePersonalToken(deps, hubot, read.view.id);
    await expect(resolvePrincipal(options(), withBearer(read.token))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });

    clock = new Date(clock.getTime() + 24 * 60 * 60 * 1000);
    await expect(resolvePrincipal(options(), withBearer(brief.token))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(await listPersonalTokens(deps, hubot)).toEqual([]);
    await expect(createPersonalToken(deps, hubot, { name: " ", scope: "admin" } as never)).rejects.toThrow();
    expect(await database.db.personalToken.count({ where: { userId: hubot } })).toBe(2);
  });

  it("seals GitHub user tokens so that another key or a changed byte opens nothing", () => {
    const sealed = sealToken("ghu_secret", deps.keys.seal);
    expect(sealed).not.toContain("ghu_secret");
    expect(openSealedToken(sealed, deps.keys.seal)).toBe("ghu_secret");
    expect(openSealedToken(sealed, deriveAuthKeys("t".repeat(40)).seal)).toBeNull();
    const parts = sealed.split(".");
    parts[2] = `${parts[2]?.startsWith("A") ? "B" : "A"}${parts[2]?.slice(1)}`;
    expect(openSealedToken(parts.join("."), deps.keys.seal)).toBeNull();
    expect(() => deriveAuthKeys("short")).toThrow(/32 characters/);
  });

  it("sets the cookie HttpOnly and SameSite=Lax, and Secure with the __Host- name behind HTTPS", () => {
    expect(sessionCookieHeader("v", { secure: false, maxAgeSeconds: 60 })).toBe(
      "project-sync-session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60",
    );
    expect(sessionCookieHeader("v", { secure: true, maxAgeSeconds: 0 })).toBe(
      "__Host-project-sync-session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
    );
  });
});
