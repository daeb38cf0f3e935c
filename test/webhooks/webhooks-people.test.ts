// Outbound webhook management for signed-in people: the endpoints of repositories they administer on GitHub (asked
// at each change), nothing of the others; endpoints of every repository stay the operator's.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Express } from "express";
import request from "supertest";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import { deriveAuthKeys } from "../../src/auth/auth-keys.js";
import { createUserAccess } from "../../src/auth/create-user-access.js";
import { createPersonalToken } from "../../src/auth/personal-tokens.js";
import { createApiTestServer } from "../api/api-test-server.js";
import { signInPerson } from "../helpers/sign-in-person.js";
import { serviceDeps } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

const API_TOKEN = "operator-token-0123456789abcdef";
const MINE = `${OWNER}/${NAME}`;
const URL_ = "http://127.0.0.1:9/hook";

describe("/api/v1/webhooks for a person: only repositories they administer", () => {
  const fixture = useSimulator({ files: 5 });
  let database: TestDatabase;
  let deps: AuthDeps;
  let app: Express;
  let write: string;
  let read: string;
  const ids = {} as Record<"mine" | "hidden" | "writable" | "all", string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, now: () => new Date(), keys: deriveAuthKeys("w".repeat(40)) };
    const repositories = [
      [OWNER, NAME, 4242],
      ["acme", "hidden", 5151],
      ["acme", "writable", 5252],
    ] as const;
    for (const [owner, name, githubId] of repositories) {
      if (githubId !== 4242)
        await fixture.sim.addRepository({ owner, name, gitDir: fixture.repo.gitDir, id: githubId });
      await database.db.repository.create({
        data: { owner, name, key: `${owner}/${name}`, githubId: BigInt(githubId), defaultBranch: "main" },
      });
    }
    fixture.sim.setPermission(OWNER, NAME, "mona", "admin");
    fixture.sim.setPermission("acme", "writable", "mona", "write");
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
    const monaId = await signInPerson(fixture, deps, { login: "mona", githubId: 77 });
    write = (await createPersonalToken(deps, monaId, { name: "hooks", scope: "write" })).token;
    read = (await createPersonalToken(deps, monaId, { name: "ro", scope: "read" })).token;
    for (const [key, repository] of [
      ["mine", MINE],
      ["hidden", "acme/hidden"],
      ["writable", "acme/writable"],
      ["all", undefined],
    ] as const) {
      const created = await request(app)
        .post("/api/v1/webhooks")
        .set(as(API_TOKEN))
        .send({ url: URL_, ...(repository ? { repository } : {}) });
      expect(created.status).toBe(201);
      ids[key] = created.body.id;
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it("lists a person only the endpoints of repositories they administer; the operator every one", async () => {
    const mine = await request(app).get("/api/v1/webhooks").set(as(read));
    const all = await request(app).get("/api/v1/webhooks").set(as(API_TOKEN));

    expect(mine.body.webhooks.map((hook: { id: string }) => hook.id)).toEqual([ids.mine]);
    expect(all.body.webhooks).toHaveLength(4);
  });

  it("answers another's endpoint as one that does not exist, and one they cannot administer with 403", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const get = (id: string) => request(app).get(`/api/v1/webhooks/${id}`).set(as(write));

    const hidden = await get(ids.hidden);
    const everyRepository = await get(ids.all);
    const absent = await get(missing);
    const writable = await get(ids.writable);
    const own = await get(ids.mine);
    const message = (response: request.Response, id: string) => response.body.error.message.replace(id, "ID");

    expect([hidden.status, everyRepository.status, absent.status]).toEqual([404, 404, 404]);
    expect(message(hidden, ids.hidden)).toBe(message(absent, missing));
    expect(message(everyRepository, ids.all)).toBe(message(absent, missing));
    expect(writable.status).toBe(403);
    expect([own.status, own.body.repository]).toEqual([200, MINE]);
    expect((await request(app).get(`/api/v1/webhooks/${ids.mine}/deliveries`).set(as(read))).status).toBe(
      200,
    );
    const hiddenDeliveries = await request(app)
      .get(`/api/v1/webhooks/${ids.hidden}/deliveries`)
      .set(as(write));
    expect(hiddenDeliveries.status).toBe(404);
  });

  it("registers only for a repository the person administers, never for every repository, never with a read token", async () => {
    const before = await database.db.webhookEndpoint.count();
    const register = (token: string, repository?: string) =>
      request(app)
        .post("/api/v1/webhooks")
        .set(as(token))
        .send({ url: URL_, ...(repository ? { repository } : {}) });

    const refused = [
      (await register(write)).status,
      (await register(write, "acme/hidden")).status,
      (await register(write, "acme/writable")).status,
      (await register(read, MINE)).status,
    ];
    const unchanged = await database.db.webhookEndpoint.count();
    const created = await register(write, MINE);

    expect(refused).toEqual([403, 404, 403, 403]);
    expect(unchanged).toBe(before);
    expect([created.status, created.body.repository, typeof created.body.secret]).toEqual([
      201,
      MINE,
      "string",
    ]);
  });

  it("removes and enables only what the person administers, asked of GitHub at the moment of the change", async () => {
    const remove = (token: string, id: string) =>
      request(app).delete(`/api/v1/webhooks/${id}`).set(as(token));

    expect((await remove(write, ids.hidden)).status).toBe(404);
    expect((await remove(write, ids.all)).status).toBe(404);
    expect((await remove(read, ids.mine)).status).toBe(403);
    const enabled = await request(app).post(`/api/v1/webhooks/${ids.mine}/enable`).set(as(write)).send({});
    expect(enabled.status).toBe(200);
    fixture.sim.setPermission(OWNER, NAME, "mona", "write");
    const demoted = await remove(write, ids.mine);
    fixture.sim.setPermission(OWNER, NAME, "mona", "admin");
    const removed = await remove(write, ids.mine);

    expect(demoted.status).toBe(403);
    expect(removed.status).toBe(200);
    expect(await database.db.webhookEndpoint.count({ where: { id: { in: [ids.hidden, ids.all] } } })).toBe(2);
  });
});
