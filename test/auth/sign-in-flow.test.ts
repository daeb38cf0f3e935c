import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Router } from "express";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import { deriveAuthKeys } from "../../src/auth/auth-keys.js";
import { createUserAccess, type UserAccess } from "../../src/auth/create-user-access.js";
import { createPersonalToken } from "../../src/auth/personal-tokens.js";
import type { SignInConfig } from "../../src/auth/sign-in-config.js";
import { principalOf } from "../../src/http/create-access-guard.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import { silentLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

const API_TOKEN = "operator-token-0123456789abcdef";

describe("sign in with GitHub on the simulator: web flow, sessions, access as GitHub says", () => {
  let clock = Date.now();
  const fixture = useSimulator({ files: 10, sim: { now: () => clock } });
  let database: TestDatabase;
  let deps: AuthDeps;
  let access: UserAccess;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, now: () => new Date(clock), keys: deriveAuthKeys("k".repeat(40)) };
    server = await new Promise<Server>((resolve) => {
      const started = createHttpServer({ db: database.db, log: silentLogger, version: "test" }).listen(
        0,
        "127.0.0.1",
        () => resolve(started),
      );
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config: SignInConfig = { ...SIM_OAUTH_CLIENT, apiBaseUrl: fixture.address.apiUrl, publicUrl: base };
    access = createUserAccess(deps, config);
    // The real server on the same port: a probe API that reports who a request acts for and what they may read.
    const api = Router();
    api.get("/whoami", async (_req, res) => {
      const principal = principalOf(res.locals);
      const repositories = principal.kind === "person" ? await access.repositories(principal.userId) : [];
      res.json({ principal, repositories: repositories.map((r) => `${r.owner}/${r.name}:${r.access}`) });
    });
    api.post("/repositories/:githubId/sync", async (req, res) => {
      await access.require(principalOf(res.locals), Number(req.params.githubId), "write");
      res.status(202).json({ ok: true });
    });
    const app = createHttpServer({
      db: database.db,
      log: silentLogger,
      version: "test",
      apiToken: API_TOKEN,
      api,
      signIn: { deps, config },
    });
    server.removeAllListeners("request");
    server.on("request", app);
    await fixture.sim.addRepository({
      owner: "acme",
      name: "hidden",
      gitDir: fixture.repo.gitDir,
      installationId: 2,
    });
    fixture.sim.setPermission(OWNER, NAME, "mona", "read");
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  /** Follows the web flow as a browser would: our login, GitHub's authorize page, our callback. Returns the cookies. */
  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const login = await fetch(`${base}/auth/login`, { redirect: "manual" });
    expect(login.status).toBe(302);
    const flowCookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const authorize = await fetch(login.headers.get("location") ?? "", { redirect: "manual" });
    const callback = await fetch(authorize.headers.get("location") ?? "", {
      redirect: "manual",
      headers: { cookie: flowCookie },
    });
    expect(callback.status).toBe(303);
    const cookies = callback.headers.getSetCookie().map((value) => value.split(";")[0] ?? "");
    const session = cookies.find((value) => value.startsWith("project-sync-session=")) ?? "";
    const csrf = cookies.find((value) => value.startsWith("project-sync-csrf="))?.split("=")[1] ?? "";
    return { cookie: session, csrf };
  }

  const whoami = (headers: Record<string, string>) => fetch(`${base}/api/v1/whoami`, { headers });

  it("signs a person in, shows only what GitHub lets them read, and refuses an action without write", async () => {
    fixture.sim.signInAs("mona");
    const { cookie, csrf } = await signIn();
    const seen = await whoami({ cookie });
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({
      principal: { kind: "person", login: "mona", via: "session" },
      repositories: [`${OWNER}/${NAME}:read`],
    });
    const action = await fetch(`${base}/api/v1/repositories/4242/sync`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(action.status).toBe(403);
    fixture.sim.setPermission(OWNER, NAME, "mona", "write"); // checked at the moment of the action, not cached
    const allowed = await fetch(`${base}/api/v1/repositories/4242/sync`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(allowed.status).toBe(202);
    const noCsrf = await fetch(`${base}/api/v1/repositories/4242/sync`, {
      method: "POST",
      headers: { cookie },
    });
    expect(noCsrf.status).toBe(403);
    const hidden = await fetch(
      `${base}/api/v1/repositories/${fixture.sim.repositoryPayload("acme", "hidden").id}/sync`,
      {
        method: "POST",
        headers: { cookie, "x-csrf-token": csrf },
      },
    );
    expect(hidden.status).toBe(404);

    expect((await fetch(`${base}/auth/logout`, { method: "POST", headers: { cookie } })).status).toBe(403);
    expect(
      (await fetch(`${base}/auth/logout`, { method: "POST", headers: { cookie, "x-csrf-token": csrf } }))
        .status,
    ).toBe(204);
    expect((await whoami({ cookie })).status).toBe(401);
  });

  it("refuses a callback whose state this browser did not start, and GitHub's refusal", async () => {
    fixture.sim.signInAs("mona");
    const login = await fetch(`${base}/auth/login`, { redirect: "manual" });
    const authorize = await fetch(login.headers.get("location") ?? "", { redirect: "manual" });
    const withoutFlowCookie = await fetch(authorize.headers.get("location") ?? "", { redirect: "manual" });
    expect(withoutFlowCookie.status).toBe(403);
    fixture.sim.signInAs(undefined);
    const again = await fetch(`${base}/auth/login`, { redirect: "manual" });
    const flowCookie = (again.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const denied = await fetch(again.headers.get("location") ?? "", { redirect: "manual" });
    const back = await fetch(denied.headers.get("location") ?? "", {
      redirect: "manual",
      headers: { cookie: flowCookie },
    });
    expect(back.status).toBe(401);
    expect(await database.db.session.count({ where: { revokedAt: null } })).toBe(0);
  });

  it("sends the person back to the page they came from, and only to a page of this site", async () => {
    fixture.sim.signInAs("mona");
    const landing = async (back: string) => {
      const login = await fetch(`${base}/auth/login?return=${encodeURIComponent(back)}`, {
        redirect: "manual",
      });
      const flowCookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const authorize = await fetch(login.headers.get("location") ?? "", { redirect: "manual" });
      const callback = await fetch(authorize.headers.get("location") ?? "", {
        redirect: "manual",
        headers: { cookie: flowCookie },
      });
      return [callback.status, callback.headers.get("location")];
    };

    const answers = [
      await landing("/settings/tokens?x=1"),
      await landing("//evil.example/"),
      await landing("/\\evil.example/"),
      await landing("https://evil.example/"),
      await landing(`/${"a".repeat(1001)}`),
    ];

    expect(answers).toEqual([
      [303, "/settings/tokens?x=1"],
      [303, "/"],
      [303, "/"],
      [303, "/"],
      [303, "/"],
    ]);
  });

  it("refreshes an expired GitHub user token before using it, and a personal token carries its person's access", async () => {
    fixture.sim.signInAs("mona");
    const { cookie } = await signIn();
    const user = await database.db.user.findFirstOrThrow({ where: { login: "mona" } });
    const before = user.accessTokenSealed;
    clock += 9 * 60 * 60 * 1000; // past the user token's 8 hours, on both clocks
    access.forget(user.id);
    expect((await (await whoami({ cookie })).json()) as unknown).toMatchObject({
      repositories: [`${OWNER}/${NAME}:write`],
    });
    const after = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.accessTokenSealed).not.toBe(before);

    const { token } = await createPersonalToken(deps, user.id, { name: "script", scope: "read" });
    const viaToken = await whoami({ authorization: `Bearer ${token}` });
    expect(await viaToken.json()).toMatchObject({
      principal: { login: "mona", via: "token", scope: "read" },
      repositories: [`${OWNER}/${NAME}:write`],
    });
    const readOnly = await fetch(`${base}/api/v1/repositories/4242/sync`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(readOnly.status).toBe(403);
    expect(await (await whoami({ authorization: `Bearer ${API_TOKEN}` })).json()).toMatchObject({
      principal: { kind: "operator" },
    });
    expect((await whoami({})).status).toBe(401);
  });

  it("refreshes a GitHub user token in its last 5 minutes, before it expires, and not earlier", async () => {
    const user = await database.db.user.findFirstOrThrow({ where: { login: "mona" } });
    const { token } = await createPersonalToken(deps, user.id, { name: "refresh", scope: "read" });
    const sealed = async () =>
      (await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).accessTokenSealed;
    const expiresAt = (await database.db.user.findUniqueOrThrow({ where: { id: user.id } }))
      .accessTokenExpiresAt;
    if (!expiresAt) throw new Error("a GitHub App's user token expires");
    const ask = async () => {
      access.forget(user.id);
      return (await whoami({ authorization: `Bearer ${token}` })).status;
    };

    clock = expiresAt.getTime() - 10 * 60 * 1000;
    const early = await sealed();
    expect(await ask()).toBe(200);
    const kept = await sealed();
    clock = expiresAt.getTime() - 2 * 60 * 1000;
    expect(await ask()).toBe(200);
    const refreshed = await sealed();

    expect(kept).toBe(early);
    expect(refreshed).not.toBe(early);
  });
});
