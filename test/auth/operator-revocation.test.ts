// The operator lists who signed in and revokes their sessions and personal tokens (REST under /api/v1/admin with
// API_TOKEN, and `project-sync users`): the next request with a revoked cookie or token is refused.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Express } from "express";
import request from "supertest";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import { deriveAuthKeys } from "../../src/auth/auth-keys.js";
import { createSession, type NewSession } from "../../src/auth/create-session.js";
import { createUserAccess } from "../../src/auth/create-user-access.js";
import { createPersonalToken } from "../../src/auth/personal-tokens.js";
import { runCli } from "../../src/cli/run-cli.js";
import { createApiTestServer } from "../api/api-test-server.js";
import { serviceDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

const API_TOKEN = "operator-token-0123456789abcdef";

class Capture {
  text = "";
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

describe("the operator revokes people's sessions and personal tokens", () => {
  let database: TestDatabase;
  let deps: AuthDeps;
  let app: Express;
  const people = {} as Record<
    "mona" | "hubot",
    { id: string; session: NewSession; token: string; tokenId: string }
  >;

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, now: () => new Date(), keys: deriveAuthKeys("r".repeat(40)) };
    const config = {
      ...SIM_OAUTH_CLIENT,
      apiBaseUrl: "http://127.0.0.1:9/api/v3",
      publicUrl: "http://127.0.0.1:9",
    };
    app = createApiTestServer({
      service: serviceDeps(database, { githubFor: async () => null }),
      apiToken: API_TOKEN,
      signIn: { deps, config, access: createUserAccess(deps, config) },
    }).app;
    for (const [login, githubId] of [
      ["mona", 1n],
      ["hubot", 2n],
    ] as const) {
      const id = (await database.db.user.create({ data: { githubId, login } })).id;
      const created = await createPersonalToken(deps, id, { name: `${login}-script`, scope: "read" });
      people[login] = {
        id,
        session: await createSession(deps, id),
        token: created.token,
        tokenId: created.view.id,
      };
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  const cookieOf = (session: NewSession) => ({ cookie: `project-sync-session=${session.cookieValue}` });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  /** What a person's cookie and token get now: 200 while live, 401 once revoked. */
  const statuses = async (login: "mona" | "hubot") => [
    (await request(app).get("/api/v1/me/tokens").set(cookieOf(people[login].session))).status,
    (await request(app).get("/api/v1/openapi.json").set(bearer(people[login].token))).status,
  ];

  async function cli(argv: string[]) {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(argv, {
      env: {},
      stdout,
      stderr,
      deps: {
        githubFor: async () => null,
        connect: async () => ({ db: database.db, close: async () => {} }),
      },
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it("lists who signed in with their live sessions and tokens, never a secret, to the operator alone", async () => {
    const listed = await request(app).get("/api/v1/admin/users").set(bearer(API_TOKEN));
    const byPerson = await request(app).get("/api/v1/admin/users").set(bearer(people.mona.token));
    const one = await request(app).get("/api/v1/admin/users?login=MONA").set(bearer(API_TOKEN));

    expect(listed.status).toBe(200);
    expect(
      listed.body.users.map((user: { login: string; sessions: unknown[]; tokens: unknown[] }) => [
        user.login,
        user.sessions.length,
        user.tokens.length,
      ]),
    ).toEqual([
      ["hubot", 1, 1],
      ["mona", 1, 1],
    ]);
    const text = JSON.stringify(listed.body);
    for (const secret of [
      people.mona.token,
      people.mona.session.cookieValue,
      people.mona.session.csrfToken,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(byPerson.status).toBe(403);
    expect(one.body.users.map((user: { login: string }) => user.login)).toEqual(["mona"]);
  });

  it("revokes every session and token of a person at once: their next requests are refused, others' are not", async () => {
    expect(await statuses("mona")).toEqual([200, 200]);
    const refusedToPerson = await request(app)
      .post("/api/v1/admin/users/hubot/revoke")
      .set(bearer(people.mona.token))
      .send({});

    const revoked = await request(app)
      .post("/api/v1/admin/users/mona/revoke")
      .set(bearer(API_TOKEN))
      .send({});
    const unknown = await request(app)
      .post("/api/v1/admin/users/nobody/revoke")
      .set(bearer(API_TOKEN))
      .send({});

    expect(refusedToPerson.status).toBe(403);
    expect([revoked.status, revoked.body]).toEqual([200, { sessions: 1, tokens: 1 }]);
    expect(unknown.status).toBe(404);
    expect(await statuses("mona")).toEqual([401, 401]);
    expect(await statuses("hubot")).toEqual([200, 200]);
  });

  it("revokes one session or one token by id", async () => {
    const session = await request(app)
      .delete(`/api/v1/admin/sessions/${people.hubot.session.sessionId}`)
      .set(bearer(API_TOKEN));
    expect([session.status, await statuses("hubot")]).toEqual([200, [401, 200]]);
    const token = await request(app)
      .delete(`/api/v1/admin/tokens/${people.hubot.tokenId}`)
      .set(bearer(API_TOKEN));
    const again = await request(app)
      .delete(`/api/v1/admin/tokens/${people.hubot.tokenId}`)
      .set(bearer(API_TOKEN));

    expect([token.status, token.body]).toEqual([200, { sessions: 0, tokens: 1 }]);
    expect(again.status).toBe(404);
    expect(await statuses("hubot")).toEqual([401, 401]);
  });

  it("does the same from the command line: `users` lists, `users revoke <login>` ends them", async () => {
    const session = await createSession(deps, people.mona.id);
    const { token } = await createPersonalToken(deps, people.mona.id, { name: "new", scope: "write" });
    people.mona = { ...people.mona, session, token };

    const listed = await cli(["users", "--json"]);
    const table = await cli(["users", "mona"]);
    const revoked = await cli(["users", "revoke", "mona"]);
    const bad = await cli(["users", "revoke"]);

    expect(listed.code).toBe(0);
    const users = JSON.parse(listed.stdout).users as { login: string; tokens: { name: string }[] }[];
    expect(users.find((user) => user.login === "mona")?.tokens.map((t) => t.name)).toEqual(["new"]);
    expect(listed.stdout + table.stdout).not.toContain(token);
    expect(table.stdout).toContain(session.sessionId);
    expect([revoked.code, revoked.stdout]).toEqual([
      0,
      expect.stringMatching(/Revoked 1 session.* and 1 personal token/),
    ]);
    expect(bad.code).toBe(2);
    expect(await statuses("mona")).toEqual([401, 401]);
  });
});
