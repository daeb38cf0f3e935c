// Every state-changing route of the API, asked with a session cookie but no (or another session's) CSRF token, or with
// a read-only personal token: 403 and nothing changed. Forged cookies and expired tokens: 401.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Express } from "express";
import request from "supertest";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import { createApiRoutes } from "../../src/api/create-api-routes.js";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import { deriveAuthKeys } from "../../src/auth/auth-keys.js";
import { createSession, type NewSession } from "../../src/auth/create-session.js";
import { createUserAccess } from "../../src/auth/create-user-access.js";
import { createPersonalToken, revokePersonalToken } from "../../src/auth/personal-tokens.js";
import { signCookieValue } from "../../src/auth/session-cookie.js";
import { createApiTestServer } from "../api/api-test-server.js";
import { signInPerson } from "../helpers/sign-in-person.js";
import { serviceDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

const API_TOKEN = "operator-token-0123456789abcdef";

describe("actions of the API refused without CSRF or with a read-only token, changing nothing", () => {
  let clock = Date.now();
  const fixture = useSimulator({ files: 5 });
  let database: TestDatabase;
  let deps: AuthDeps;
  let app: Express;
  let session: NewSession;
  let other: NewSession;
  const ids = {} as Record<"sync" | "webhook" | "token", string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, now: () => new Date(clock), keys: deriveAuthKeys("c".repeat(40)) };
    const config = {
      ...SIM_OAUTH_CLIENT,
      apiBaseUrl: fixture.address.apiUrl,
      publicUrl: "http://127.0.0.1:9",
    };
    app = createApiTestServer({
      service: serviceDeps(database, { githubFor: async () => null }),
      apiToken: API_TOKEN,
      webhooks: { allowPrivateTargets: true },
      signIn: { deps, config, access: createUserAccess(deps, config) },
    }).app;
    fixture.sim.setPermission(OWNER, NAME, "mona", "admin");
    const monaId = await signInPerson(fixture, deps, { login: "mona", githubId: 77 });
    const hubotId = (await database.db.user.create({ data: { githubId: 78n, login: "hubot" } })).id;
    const repository = await database.db.repository.create({
      data: { owner: OWNER, name: NAME, key: `${OWNER}/${NAME}`, githubId: 4242n, defaultBranch: "main" },
    });
    ids.sync = (
      await database.db.projectSync.create({
        data: {
          repositoryId: repository.id,
          branch: "main",
          status: "succeeded",
          trigger: "manual",
          generation: 1,
        },
      })
    ).id;
    const hook = await request(app)
      .post("/api/v1/webhooks")
      .set(bearer(API_TOKEN))
      .send({ url: "http://127.0.0.1:9/hook", repository: `${OWNER}/${NAME}` });
    ids.webhook = hook.body.id;
    session = await createSession(deps, monaId);
    other = await createSession(deps, hubotId);
    const read = await createPersonalToken(deps, monaId, { name: "ro", scope: "read" });
    ids.token = read.view.id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const cookie = (value = session.cookieValue) => `project-sync-session=${value}`;

  /** Every POST and DELETE route of the API, its path parameters filled with things that exist. */
  function actions(): { method: "post" | "delete"; path: string }[] {
    const values: Record<string, string> = {
      owner: OWNER,
      repo: NAME,
      syncId: ids.sync,
      from: ids.sync,
      to: ids.sync,
      webhookId: ids.webhook,
      deliveryId: "00000000-0000-4000-8000-000000000000",
      tokenId: ids.token,
      sessionId: session.sessionId,
      login: "mona",
    };
    const routes = createApiRoutes({ openApiDocument: () => ({}) }).filter((route) => route.method !== "get");
    return routes.map((route) => ({
      method: route.method as "post" | "delete",
      path: `/api/v1${route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => values[name] ?? name)}`,
    }));
  }

  /** A body each action would accept, so that only the token's scope refuses it. */
  const validBody = (path: string): Record<string, unknown> =>
    path.endsWith("/webhooks")
      ? { url: "http://127.0.0.1:9/other", repository: `${OWNER}/${NAME}` }
      : path.endsWith("/me/tokens")
        ? { name: "more", scope: "write" }
        : {};

  /** The rows an action could change. */
  const state = async () => ({
    syncs: await database.db.projectSync.count(),
    repositories: await database.db.repository.count(),
    webhooks: await database.db.webhookEndpoint.findMany({
      select: { id: true, disabledAt: true },
      orderBy: { id: "asc" },
    }),
    tokens: await database.db.personalToken.findMany({
      select: { id: true, revokedAt: true },
      orderBy: { id: "asc" },
    }),
    sessions: await database.db.session.findMany({
      select: { id: true, revokedAt: true },
      orderBy: { id: "asc" },
    }),
  });

  it("refuses every action sent with the session cookie but without its CSRF token (403), and changes nothing", async () => {
    const before = await state();
    const answers: string[] = [];
    const targets = [...actions(), { method: "post" as const, path: "/auth/logout" }];
    for (const { method, path } of targets) {
      for (const csrf of [undefined, other.csrfToken, "x".repeat(43)]) {
        const headers: Record<string, string> = {
          cookie: cookie(),
          ...(csrf ? { "x-csrf-token": csrf } : {}),
        };
        const response = await request(app)[method](path).set(headers).send({});
        answers.push(`${method} ${path} ${response.status}`);
      }
    }

    expect(targets.length).toBeGreaterThanOrEqual(14);
    expect(answers.filter((answer) => !answer.endsWith(" 403"))).toEqual([]);
    expect(await state()).toEqual(before);
    const withCsrf = await request(app)
      .delete(`/api/v1/me/tokens/${ids.token}`)
      .set({ cookie: cookie(), "x-csrf-token": session.csrfToken });
    expect(withCsrf.status).toBe(200);
  });

  it("refuses every action to a read-only personal token of a person with admin on GitHub (403), changing nothing", async () => {
    const read = await createPersonalToken(
      deps,
      (await database.db.user.findFirstOrThrow({ where: { login: "mona" } })).id,
      {
        name: "ro2",
        scope: "read",
      },
    );
    const before = await state();
    const answers: string[] = [];
    for (const { method, path } of actions()) {
      const response = await request(app)[method](path).set(bearer(read.token)).send(validBody(path));
      answers.push(`${method} ${path} ${response.status}`);
    }

    expect(answers.filter((answer) => !answer.endsWith(" 403"))).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it("refuses a forged or re-keyed session cookie, an expired personal token and a revoked one (401)", async () => {
    const secret = session.cookieValue.slice(0, session.cookieValue.lastIndexOf("."));
    const forged = `${secret}.${"A".repeat(43)}`;
    const rekeyed = signCookieValue(secret, deriveAuthKeys("z".repeat(40)).cookie);
    const monaId = (await database.db.user.findFirstOrThrow({ where: { login: "mona" } })).id;
    const brief = await createPersonalToken(deps, monaId, {
      name: "brief",
      scope: "write",
      expiresInDays: 1,
    });
    expect((await request(app).get("/api/v1/repos").set(bearer(brief.token))).status).toBe(200);

    const answers = [
      (
        await request(app)
          .get("/api/v1/repos")
          .set({ cookie: cookie(forged) })
      ).status,
      (
        await request(app)
          .get("/api/v1/repos")
          .set({ cookie: cookie(rekeyed) })
      ).status,
    ];
    clock += 24 * 60 * 60 * 1000 + 1;
    answers.push((await request(app).get("/api/v1/repos").set(bearer(brief.token))).status);
    const revoked = await createPersonalToken(deps, monaId, { name: "gone", scope: "read" });
    await revokePersonalToken(deps, monaId, revoked.view.id);
    answers.push((await request(app).get("/api/v1/repos").set(bearer(revoked.token))).status);

    expect(answers).toEqual([401, 401, 401, 401]);
  });
});
